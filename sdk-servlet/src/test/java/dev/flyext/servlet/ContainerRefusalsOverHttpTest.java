package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Odd and hostile requests that a container may refuse before the servlet runs, in each container,
 * with and without the configuration of docs/containers.md. Configured, every error answer is JSON;
 * the rows here are the table in that file. The servlet is mounted at {@code /flyio/*} in the
 * context {@code /app}, so a path can miss the mount or the context.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class ContainerRefusalsOverHttpTest {
  @RegisterExtension final ProviderServers servers;

  ContainerRefusalsOverHttpTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  /** Who wrote the body the client got. */
  enum Body {
    /** The endpoint, as for any request the servlet routes. */
    ENDPOINT,
    /** The servlet or the server-level handler: exactly {@link FlyExtensionServlet#errorBody}. */
    REFUSAL,
    /** The container's own HTML page. */
    HTML,
    /** No body at all. */
    EMPTY
  }

  /** A status and who wrote the body, written as {@code "400 refusal"}. */
  record Outcome(int status, Body body) {
    static Outcome of(String text) {
      String[] parts = text.split(" ");
      return new Outcome(
          Integer.parseInt(parts[0]), Body.valueOf(parts[1].toUpperCase(Locale.ROOT)));
    }
  }

  /** One odd request and what each container answers, as it comes and as configured. */
  record OddInput(
      String story,
      Function<ProviderServer, Reply> send,
      Outcome jetty,
      Outcome jettyConfigured,
      Outcome tomcat,
      Outcome tomcatConfigured) {
    Outcome expected(Container container, boolean configured) {
      return switch (container) {
        case JETTY -> configured ? jettyConfigured : jetty;
        case TOMCAT -> configured ? tomcatConfigured : tomcat;
      };
    }

    @Override
    public String toString() {
      return story;
    }
  }

  static Stream<OddInput> oddInputs() {
    return Stream.of(
        odd(
            "%2F in the path",
            get("/app/flyio/extensions/ext_1%2Fsso"),
            "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "%2e%2e in the path",
            get("/app/flyio/extensions/%2e%2e/extensions/ext_1"),
            "400 html | 400 refusal | 404 endpoint | 404 endpoint"),
        odd(
            "// in the path",
            get("/app/flyio//extensions/ext_1"),
            "400 html | 400 refusal | 404 endpoint | 404 endpoint"),
        odd(
            "%00 in the path",
            get("/app/flyio/extensions/ext_1%00"),
            "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "%5C in the path",
            get("/app/flyio/extensions/ext_1%5C"),
            "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "a broken escape, %zz",
            get("/app/flyio/extensions/%zz"), "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "raw UTF-8 bytes in the path",
            get(latin1("/app/flyio/extensions/ext_ü".getBytes(StandardCharsets.UTF_8))),
            "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "a raw ISO-8859-1 byte in the path",
            get("/app/flyio/extensions/ext_\u00fc"),
            "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "OPTIONS *",
            s -> s.raw("OPTIONS", "*", new byte[0]),
            "404 empty | 404 refusal | 200 empty | 200 empty"),
        odd("GET *", get("*"), "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "absolute form naming another host",
            get("http://other.example/app/flyio/extensions/ext_1"),
            "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "absolute form naming this host",
            s ->
                s.raw(
                    "GET", "http://127.0.0.1:" + s.port() + "/app/flyio/extensions/ext_1", none()),
            "401 endpoint | 401 endpoint | 401 endpoint | 401 endpoint"),
        odd(
            "Content-Length twice, disagreeing",
            post("{}x", "Content-Length: 2", "Content-Length: 3"),
            "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "Content-Length and Transfer-Encoding together",
            post("2\r\n{}\r\n0\r\n\r\n", "Content-Length: 12", "Transfer-Encoding: chunked"),
            "400 html | 400 refusal | 401 endpoint | 401 endpoint"),
        odd(
            "a 9 KB header",
            get("/app/flyio/extensions/ext_1", "X-Pad: " + "a".repeat(9 * 1024)),
            "431 html | 431 refusal | 400 html | 400 refusal"),
        odd(
            "a 9 KB request target",
            get("/app/flyio/extensions/" + "a".repeat(9 * 1024)),
            "414 html | 414 refusal | 400 html | 400 refusal"),
        odd(
            "no Host header",
            s -> s.rawHead("GET /app/flyio/extensions HTTP/1.1\r\nConnection: close", none()),
            "400 html | 400 refusal | 400 html | 400 refusal"),
        odd(
            "an unknown HTTP version",
            s ->
                s.rawHead(
                    "GET /app/flyio/extensions HTTP/9.7\r\nHost: x\r\nConnection: close", none()),
            "505 html | 505 refusal | 505 html | 505 refusal"),
        odd(
            "a path outside the mount",
            get("/app/other"),
            "404 html | 404 refusal | 404 html | 404 refusal"),
        odd(
            "a PUT outside the mount",
            s -> s.raw("PUT", "/app/other", none(), "Content-Length: 0"),
            "405 empty | 405 refusal | 404 html | 404 refusal"),
        odd(
            "a path outside the context",
            get("/other"),
            "404 html | 404 refusal | 404 html | 404 refusal"),
        odd(
            "a DELETE with %2F in the path",
            s -> s.raw("DELETE", "/app/flyio/extensions/ext_1%2Fsso", none()),
            "400 empty | 400 refusal | 400 html | 400 refusal"),
        odd(
            "TRACE",
            s -> s.raw("TRACE", "/app/flyio/extensions", none()),
            "405 endpoint | 405 endpoint | 405 html | 405 refusal"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oddInputs")
  void answersEveryOddInputWithJsonWhenConfigured(OddInput odd) {
    ProviderServer server = servers.start(mounted().refusals(Container.Refusals.ALL_JSON));

    Reply reply = odd.send().apply(server);

    Outcome expected = odd.expected(servers.container(), true);
    assertOutcome(reply, expected);
    assertThat(server.handler().calls()).isZero();
    assertThat(server.outcomes())
        .as("requests the endpoint routed")
        .hasSize(expected.body() == Body.ENDPOINT ? 1 : 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oddInputs")
  void answersWithTheContainersOwnPagesWhenNotConfigured(OddInput odd) {
    ProviderServer server = servers.start(mounted());

    Reply reply = odd.send().apply(server);

    assertOutcome(reply, odd.expected(servers.container(), false));
    assertThat(server.handler().calls()).isZero();
  }

  private static ProviderServer.Builder mounted() {
    return ProviderServer.mountedAt("/app", "/flyio/*");
  }

  private static void assertOutcome(Reply reply, Outcome expected) {
    switch (expected.body()) {
      case ENDPOINT -> Answers.assertJsonError(reply, expected.status());
      case REFUSAL -> {
        Answers.assertJsonError(reply, expected.status());
        assertThat(reply.body()).isEqualTo(FlyExtensionServlet.errorBody(expected.status()));
      }
      case HTML -> {
        assertThat(reply.status()).as("status of %s", reply).isEqualTo(expected.status());
        assertThat(reply.header("Content-Type")).as("%s", reply).startsWith("text/html");
      }
      case EMPTY -> {
        assertThat(reply.status()).as("status of %s", reply).isEqualTo(expected.status());
        assertThat(reply.body()).as("%s", reply).isEmpty();
      }
    }
  }

  private static OddInput odd(String story, Function<ProviderServer, Reply> send, String table) {
    String[] cells = table.split("\\|");
    return new OddInput(
        story,
        send,
        Outcome.of(cells[0].strip()),
        Outcome.of(cells[1].strip()),
        Outcome.of(cells[2].strip()),
        Outcome.of(cells[3].strip()));
  }

  private static Function<ProviderServer, Reply> get(String target, String... headers) {
    return s -> s.raw("GET", target, none(), headers);
  }

  private static Function<ProviderServer, Reply> post(String body, String... headers) {
    String[] all =
        Stream.concat(Stream.of("Content-Type: application/json"), Stream.of(headers))
            .toArray(String[]::new);
    return s -> s.raw("POST", "/app/flyio/extensions", body.getBytes(StandardCharsets.UTF_8), all);
  }

  /** Bytes written one for one as request-target characters: raw bytes on the wire. */
  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static byte[] none() {
    return new byte[0];
  }
}
