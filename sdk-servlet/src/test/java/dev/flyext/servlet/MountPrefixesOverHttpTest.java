package dev.flyext.servlet;

import static dev.flyext.servlet.FlyClient.provisionFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.RequestSigner;
import dev.flyext.SignatureException.Reason;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The servlet under a prefix mapping, at the root, as the default servlet and under a context path:
 * in each the endpoint routes the path below the mount and checks the signed url against the
 * configured public base URL.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class MountPrefixesOverHttpTest {
  @RegisterExtension final ProviderServers servers;

  MountPrefixesOverHttpTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  /** Where the servlet is mounted; the public base URL is the container's view of the mount. */
  record Mount(String contextPath, String servletMapping) {
    ProviderServer.Builder server() {
      return ProviderServer.mountedAt(contextPath, servletMapping);
    }

    @Override
    public String toString() {
      return "context '" + contextPath + "', servlet '" + servletMapping + "'";
    }
  }

  static Stream<Mount> mounts() {
    return Stream.of(
        new Mount("", "/flyio/*"),
        new Mount("", "/*"),
        new Mount("", "/"),
        new Mount("/app", "/flyio/*"),
        new Mount("/app", "/"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mounts")
  void servesTheLifecycleBelowTheMount(Mount mount) {
    ProviderServer server = servers.start(mount.server());

    Reply provisioned = server.fly().provision("ext_m");
    Reply status = server.fly().get("/extensions/ext_m");
    Reply deleted = server.fly().delete("/extensions/ext_m");

    assertThat(provisioned.status()).as("provision %s", provisioned).isEqualTo(200);
    assertThat(status.json().get("id").asText()).isEqualTo("ext_m");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(server.handler().provisionRequests.get(0).url())
        .isEqualTo(server.publicBaseUrl() + "/extensions");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mounts")
  void refusesAUrlSignedWithoutTheMountPrefix(Mount mount) {
    ProviderServer server = servers.start(mount.server());
    String bare = "http://127.0.0.1:" + server.port() + "/extensions";
    String prefixed = server.publicBaseUrl() + "/flyio/extensions";
    String wrong = server.publicBaseUrl().endsWith(":" + server.port()) ? prefixed : bare;

    Reply reply = server.fly().post("/extensions", provisionFields("ext_m").put("url", wrong));

    Answers.assertRefused(reply, Reason.WRONG_URL);
    assertThat(server.handler().calls()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mounts")
  void refusesAUrlSignedForAnotherRouteBelowTheMount(Mount mount) {
    ProviderServer server = servers.start(mount.server());
    server.fly().provision("ext_m");
    String query =
        RequestSigner.query(
            server.publicUrl("/extensions/ext_m/sso"),
            server.clock().instant(),
            RequestSigner.randomNonce());

    Reply reply = server.fly().request("GET", "/extensions/ext_m").query(query).signed().send();

    Answers.assertRefused(reply, Reason.WRONG_URL);
    assertThat(server.handler().gets.get()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mounts")
  void answersAnUnknownRouteBelowTheMountWithJson(Mount mount) {
    ProviderServer server = servers.start(mount.server());

    Reply reply = server.fly().request("GET", "/no/such/route").send();

    Answers.assertJsonError(reply, 404);
  }

  @Test
  void checksTheConfiguredPublicUrlNotTheContainersView() {
    ProviderServer server =
        servers.start(
            ProviderServer.mountedAt("/app", "/flyio/*")
                .publicBaseUrl("https://kv.example.com/flyio"));

    Reply asContainer =
        server
            .fly()
            .post(
                "/extensions",
                provisionFields("ext_c").put("url", server.containerUrl("/extensions")));
    Reply asPublic = server.fly().provision("ext_p");

    Answers.assertRefused(asContainer, Reason.WRONG_URL);
    assertThat(asPublic.status()).isEqualTo(200);
    assertThat(server.handler().provisionRequests)
        .singleElement()
        .satisfies(r -> assertThat(r.url()).isEqualTo("https://kv.example.com/flyio/extensions"));
  }

  @Test
  void comparesSchemeAndHostWithoutCaseAndDropsTheDefaultPort() {
    ProviderServer server =
        servers.start(ProviderServer.atFlyio().publicBaseUrl("https://KV.Example.com:443/flyio/"));

    Reply reply =
        server
            .fly()
            .post(
                "/extensions",
                provisionFields("ext_n").put("url", "HTTPS://kv.example.COM/flyio/extensions"));

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
  }

  @Test
  void routesAPathWithSegmentParametersAsTheContainerMatchesIt() {
    ProviderServer server = servers.start(ProviderServer.atFlyio());

    Reply sso = server.raw("GET", "/flyio/extensions;v=1/ext_1/sso", new byte[0]);

    Answers.assertJsonError(sso, 501);
    assertThat(server.handler().calls()).isZero();
  }
}
