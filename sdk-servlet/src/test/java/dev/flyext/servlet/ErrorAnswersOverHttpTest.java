package dev.flyext.servlet;

import static dev.flyext.servlet.FlyClient.bytes;
import static dev.flyext.servlet.FlyClient.provisionFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.RequestSigner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures answered by the servlet are JSON in UTF-8 with a fitting status, never a container page,
 * and never reach the handler unless the request was verified.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class ErrorAnswersOverHttpTest {
  private static final int MAX_BODY = 4096;

  @RegisterExtension final ProviderServers servers;

  ErrorAnswersOverHttpTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  private ProviderServer server;
  private FlyClient fly;
  private RecordingHandler handler;

  @BeforeEach
  void startServer() {
    server = servers.start(ProviderServer.atFlyio().maxBodyBytes(MAX_BODY));
    fly = server.fly();
    handler = server.handler();
  }

  @Test
  void answersMalformedJsonWith400EvenWhenSigned() {
    byte[] body = "{\"name\": \"kv\", \"id\": ".getBytes(StandardCharsets.UTF_8);

    Reply reply = fly.request("POST", "/extensions").json(body).signed().send();

    JsonNode json = Answers.assertJsonError(reply, 400);
    assertThat(json.get("error").asText()).contains("not valid JSON");
    assertThat(handler.calls()).isZero();
  }

  @Test
  void answersABodyThatIsNotAnObjectWith400() {
    byte[] body = "[\"ext_1\"]".getBytes(StandardCharsets.UTF_8);

    Reply reply = fly.request("POST", "/extensions").json(body).signed().send();

    Answers.assertJsonError(reply, 400);
    assertThat(handler.calls()).isZero();
  }

  @Test
  void answersAMissingRequiredFieldWith400NamingIt() {
    ObjectNode body = provisionFields("ext_missing");
    body.remove("organization_id");

    Reply reply = fly.post("/extensions", body);

    JsonNode json = Answers.assertJsonError(reply, 400);
    assertThat(json.get("error").asText()).contains("organization_id");
    assertThat(handler.calls()).isZero();
  }

  @Test
  void answersAFieldOfTheWrongTypeWith400NamingIt() {
    Reply regions = fly.post("/extensions", provisionFields("ext_type").put("read_regions", "ams"));
    Reply id = fly.post("/extensions", provisionFields("ext_type").put("id", 42));

    assertThat(Answers.assertJsonError(regions, 400).get("error").asText())
        .contains("read_regions");
    assertThat(Answers.assertJsonError(id, 400).get("error").asText()).contains("`id`");
    assertThat(handler.calls()).isZero();
  }

  @Test
  void answersABadBillingDateWith400() {
    Reply reply = fly.get("/billing", Map.of("from", "yesterday", "to", "2026-12-03"));

    assertThat(Answers.assertJsonError(reply, 400).get("error").asText()).contains("from");
    assertThat(handler.billings.get()).isZero();
  }

  @Test
  void answersAnUnknownRouteWith404() {
    Reply reply = fly.request("GET", "/no/such/route").send();

    Answers.assertJsonError(reply, 404);
  }

  @Test
  void answersAnUnknownExtensionWith404() {
    Reply reply = fly.get("/extensions/ext_unknown");

    assertThat(Answers.assertJsonError(reply, 404).get("error").asText()).contains("ext_unknown");
    assertThat(handler.gets.get()).isEqualTo(1);
  }

  @Test
  void answersAWrongMethodWith405AndAllow() {
    Reply put = fly.request("PUT", "/extensions/x").json(new byte[] {'{', '}'}).send();
    Reply list = fly.request("GET", "/extensions").send();
    Reply events = fly.request("DELETE", "/extensions/events").send();
    Reply billing = fly.request("POST", "/billing").json(new byte[] {'{', '}'}).send();

    Answers.assertJsonError(put, 405);
    assertThat(put.header("Allow")).isEqualTo("GET, PATCH, DELETE, OPTIONS");
    Answers.assertJsonError(list, 405);
    assertThat(list.header("Allow")).isEqualTo("POST, OPTIONS");
    Answers.assertJsonError(events, 405);
    assertThat(events.header("Allow")).isEqualTo("POST, OPTIONS");
    Answers.assertJsonError(billing, 405);
    assertThat(billing.header("Allow")).isEqualTo("GET, OPTIONS");
    assertThat(handler.calls()).isZero();
  }

  @Test
  void acceptsABodyOfExactlyTheCap() {
    byte[] body = paddedTo(MAX_BODY);

    Reply reply = fly.request("POST", "/extensions").json(body).signed().send();

    assertThat(body).hasSize(MAX_BODY);
    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
  }

  @Test
  void answersABodyOverTheCapWith413() {
    byte[] body = paddedTo(MAX_BODY + 1);

    Reply reply = fly.request("POST", "/extensions").json(body).signed().send();

    Answers.assertJsonError(reply, 413);
    assertThat(handler.calls()).isZero();
  }

  @Test
  void answersAChunkedBodyOverTheCapWith413() {
    byte[] body = paddedTo(3 * MAX_BODY);

    Reply reply = fly.request("POST", "/extensions").json(body).chunked().signed().send();

    Answers.assertJsonError(reply, 413);
    assertThat(handler.calls()).isZero();
  }

  @Test
  void answersADeclaredLengthOverTheCapWith413BeforeReadingIt() {
    Reply reply =
        server.raw(
            "POST",
            "/flyio/extensions",
            new byte[0],
            "Content-Type: application/json",
            "Content-Length: 10000000000",
            "X-Signature: " + "0".repeat(64));

    Answers.assertJsonError(reply, 413);
  }

  @Test
  void acceptsAChunkedBodyUnderTheCap() {
    byte[] body = bytes(fly.stamp(provisionFields("ext_chunked"), "/extensions"));

    Reply reply = fly.request("POST", "/extensions").json(body).chunked().signed().send();

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "application/json; charset=iso-8859-1",
        "application/x-www-form-urlencoded"
      })
  void answersABodyThatIsNotJsonInUtf8With415(String contentType) {
    byte[] body = bytes(fly.stamp(provisionFields("ext_text"), "/extensions"));

    Reply reply =
        fly.request("POST", "/extensions")
            .body(body)
            .header("Content-Type", contentType)
            .signed()
            .send();

    Answers.assertJsonError(reply, 415);
    assertThat(handler.calls()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=UTF-8", "application/vnd.fly+json"})
  void acceptsJsonContentTypesInUtf8(String contentType) {
    byte[] body = bytes(fly.stamp(provisionFields("ext_typed"), "/extensions"));

    Reply reply =
        fly.request("POST", "/extensions")
            .body(body)
            .header("Content-Type", contentType)
            .signed()
            .send();

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
  }

  @Test
  void answersAFailingHandlerWith500WithoutItsDetails() {
    handler.failWith(new IllegalStateException("password hunter2 refused by db.internal"));
    List<Reply> replies;

    try (LogCapture log = new LogCapture()) {
      replies = List.of(fly.provision("ext_boom"), fly.get("/extensions/ext_boom"));

      assertThat(log.records())
          .hasSize(2)
          .allSatisfy(
              record -> {
                assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(record.getThrown()).hasMessageContaining("hunter2");
              });
    }

    for (Reply reply : replies) {
      Answers.assertJsonError(reply, 500);
      assertThat(reply.text())
          .doesNotContain("hunter2")
          .doesNotContain("db.internal")
          .doesNotContain("IllegalStateException")
          .doesNotContain("Exception")
          .doesNotContain("dev.flyext")
          .doesNotContain("\tat ")
          .doesNotContain(".java");
    }
  }

  @Test
  void answersOptionsOnARouteWithWhatItAllows() {
    Reply resource = server.raw("OPTIONS", server.containerPath("/extensions/ext_1"), new byte[0]);
    Reply unknown = server.raw("OPTIONS", server.containerPath("/nope"), new byte[0]);

    assertThat(resource.status()).as("%s", resource).isEqualTo(200);
    Answers.assertJsonContentType(resource);
    assertThat(resource.header("Allow")).isEqualTo("GET, PATCH, DELETE, OPTIONS");
    assertThat(resource.json().get("allow").asText()).isEqualTo("GET, PATCH, DELETE, OPTIONS");
    Answers.assertJsonError(unknown, 404);
    assertThat(handler.calls()).isZero();
  }

  /** TRACE is missing: Tomcat refuses it itself, see {@link ContainerRefusalsOverHttpTest}. */
  @Test
  void answersEveryOtherMethodOnEveryRouteWithJson() {
    List<String> methods = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "BREW");
    List<String> paths =
        List.of(
            "/",
            "/extensions",
            "/extensions/ext_1",
            "/extensions/events",
            "/extensions/ext_1/sso",
            "/billing",
            "/extensions/ext_1/more",
            "/nope");

    for (String method : methods) {
      for (String path : paths) {
        Reply reply = server.raw(method, server.containerPath(path), new byte[0]);

        assertThat(reply.status()).as("%s %s", method, path).isBetween(400, 599);
        Answers.assertJsonContentType(reply);
        assertThat(reply.json().path("error").isTextual()).as("%s %s", method, path).isTrue();
      }
    }
    assertThat(handler.calls()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/flyio/x/../extensions/ext_1",
        "/flyio/extensions/x/../ext_1",
        "/flyio/extensions/ext_1/.",
        "/flyio/extensions/./ext_1",
        "/flyio/extensions/%2e%2e/extensions/ext_1",
        "/flyio/extensions/ext%5F1%2F..",
        "/flyio/extensions/ext_1%2Fsso",
        "/flyio//extensions/ext_1",
        "/flyio/extensions/ext_1%00",
        "/flyio/extensions/%zz",
        "/flyio/extensions/ext_1%5C",
        "/flyio/ext%65nsions/ext_1",
      })
  void neverHandsAnOddPathToTheHandler(String oddPath) {
    fly.provision("ext_1");
    String query = fly.signedQuery("/extensions/ext_1", Map.of());
    int before = handler.calls();

    Reply reply =
        server.raw(
            "GET",
            oddPath + "?" + query,
            new byte[0],
            RequestSigner.SIGNATURE_HEADER
                + ": "
                + fly.sign(query.getBytes(StandardCharsets.UTF_8)));

    assertThat(reply.status()).as("%s", reply).isIn(400, 404);
    assertThat(handler.calls()).isEqualTo(before);
  }

  /** A signed provisioning body of exactly {@code size} bytes. */
  private byte[] paddedTo(int size) {
    ObjectNode body = fly.stamp(provisionFields("ext_pad"), "/extensions");
    int bare = bytes(body.put("padding", "")).length;
    return bytes(body.put("padding", "x".repeat(size - bare)));
  }
}
