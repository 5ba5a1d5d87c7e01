package dev.flyext.servlet;

import static dev.flyext.servlet.FlyClient.provisionFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.RequestOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same request to Jetty and to Tomcat gets the same answer from the SDK, byte for byte: status,
 * the headers the SDK sets and the body. Both run the configuration of docs/containers.md, so a
 * refusal the container forwards to the servlet is compared too.
 */
class SameAnswersInEveryContainerTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_764_800_000L);
  private static final List<String> SDK_HEADERS =
      List.of(
          "Content-Type",
          "Content-Length",
          "Cache-Control",
          "X-Content-Type-Options",
          "Allow",
          "Retry-After",
          "Location");

  @RegisterExtension final ProviderServers jetty = new ProviderServers(Container.JETTY);
  @RegisterExtension final ProviderServers tomcat = new ProviderServers(Container.TOMCAT);

  /** One request, sent to each container in turn. */
  record Exchange(String story, Function<ProviderServer, Reply> send) {
    @Override
    public String toString() {
      return story;
    }
  }

  static Stream<Exchange> exchanges() {
    return Stream.of(
        new Exchange("a signed provision", s -> s.fly().provision("ext_same")),
        new Exchange(
            "a signed status call",
            s -> {
              s.fly().provision("ext_same");
              return s.fly().get("/extensions/ext_same", Map.of("organization_id", "OrgA1b2C3"));
            }),
        new Exchange(
            "a delete, twice",
            s -> {
              s.fly().delete("/extensions/ext_same");
              return s.fly().delete("/extensions/ext_same");
            }),
        new Exchange(
            "an unsigned provision",
            s -> s.fly().request("POST", "/extensions").json(body(s)).send()),
        new Exchange(
            "a signed body that is not JSON",
            s ->
                s.fly()
                    .request("POST", "/extensions")
                    .json("{\"id\":".getBytes(StandardCharsets.UTF_8))
                    .signed()
                    .send()),
        new Exchange(
            "a body in text/plain",
            s ->
                s.fly()
                    .request("POST", "/extensions")
                    .body(body(s))
                    .header("Content-Type", "text/plain")
                    .signed()
                    .send()),
        new Exchange(
            "a declared length over the cap",
            s ->
                s.raw(
                    "POST",
                    "/flyio/extensions",
                    new byte[0],
                    "Content-Type: application/json",
                    "Content-Length: 10000000000")),
        new Exchange("an unknown route", s -> s.fly().request("GET", "/no/such/route").send()),
        new Exchange(
            "a wrong method",
            s -> s.fly().request("PUT", "/extensions/ext_1").json(new byte[] {'{', '}'}).send()),
        new Exchange("OPTIONS on a route", s -> s.fly().request("OPTIONS", "/extensions").send()),
        new Exchange("HEAD on a route", s -> s.fly().request("HEAD", "/extensions/ext_1").send()),
        new Exchange(
            "sso without sign-in", s -> s.fly().request("GET", "/extensions/e/sso").send()),
        new Exchange(
            "a path with segment parameters",
            s -> s.raw("GET", "/flyio/extensions;v=1/ext_1/sso", new byte[0])),
        new Exchange(
            "a path outside the mount, forwarded to the servlet",
            s -> s.raw("GET", "/elsewhere", new byte[0])));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void answersTheSameInJettyAndTomcat(Exchange exchange) {
    Reply fromJetty = exchange.send().apply(jetty.start(server()));
    Reply fromTomcat = exchange.send().apply(tomcat.start(server()));

    assertThat(fromJetty.status()).isBetween(200, 599);
    assertThat(fingerprint(fromTomcat)).isEqualTo(fingerprint(fromJetty));
  }

  /**
   * With the containers' own path checks relaxed, odd paths reach the servlet in both; the endpoint
   * routes the raw path and answers each the same way, without calling the handler.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/flyio/extensions/ext_1%2Fsso",
        "/flyio/extensions/ext%5F1%2F..",
        "/flyio/extensions/%2e%2e/extensions/ext_1",
        "/flyio/extensions/%2E%2E",
        "/flyio//extensions/ext_1",
        "/flyio/extensions/ext_1%5C",
        "/flyio/extensions/ext_1%2F",
        "/flyio/ext%65nsions/ext_1",
      })
  void answersOddPathsTheSameWhenTheContainersLetThemThrough(String oddPath) {
    ProviderServer jettyServer = jetty.start(server().lenientPaths());
    ProviderServer tomcatServer = tomcat.start(server().lenientPaths());

    Reply fromJetty = signedGet(jettyServer, oddPath);
    Reply fromTomcat = signedGet(tomcatServer, oddPath);

    Answers.assertJsonError(fromJetty, 404);
    assertThat(fingerprint(fromTomcat)).isEqualTo(fingerprint(fromJetty));
    assertThat(List.of(lastOutcome(jettyServer), lastOutcome(tomcatServer)))
        .as("the endpoint, not the container, answered")
        .allSatisfy(outcome -> assertThat(outcome.reason()).isEqualTo("unknown_route"));
    assertThat(jettyServer.handler().gets.get() + tomcatServer.handler().gets.get()).isZero();
  }

  private static RequestOutcome lastOutcome(ProviderServer server) {
    List<RequestOutcome> outcomes = server.outcomes();
    assertThat(outcomes).as("requests the endpoint routed").hasSizeGreaterThan(1);
    return outcomes.get(outcomes.size() - 1);
  }

  /** A GET of {@code target}, signed as a status call of ext_1 would be. */
  private static Reply signedGet(ProviderServer server, String target) {
    server.fly().provision("ext_1");
    String query = server.fly().signedQuery("/extensions/ext_1", Map.of());
    String signature = server.fly().sign(query.getBytes(StandardCharsets.UTF_8));
    return server.raw("GET", target + "?" + query, new byte[0], "X-Signature: " + signature);
  }

  private static ProviderServer.Builder server() {
    return ProviderServer.atFlyio()
        .publicBaseUrl("https://kv.example.com/flyio")
        .clockAt(NOW)
        .maxBodyBytes(4096)
        .refusals(Container.Refusals.ALL_JSON);
  }

  /** Status, the headers the SDK sets, and the body, as one comparable text. */
  private static String fingerprint(Reply reply) {
    StringBuilder text = new StringBuilder().append(reply.status()).append('\n');
    for (String name : SDK_HEADERS) {
      text.append(name).append(": ").append(reply.headers().get(name)).append('\n');
    }
    return text.append(reply.text()).toString();
  }

  private static byte[] body(ProviderServer server) {
    return FlyClient.bytes(server.fly().stamp(provisionFields("ext_same"), "/extensions"));
  }
}
