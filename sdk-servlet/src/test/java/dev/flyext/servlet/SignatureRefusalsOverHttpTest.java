package dev.flyext.servlet;

import static dev.flyext.servlet.FlyClient.bytes;
import static dev.flyext.servlet.FlyClient.provisionFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.RequestSigner;
import dev.flyext.SignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way verification refuses, over HTTP, behind a public URL that is not the container's own: a
 * 401 with {@code error}, {@code reason} and {@code docs}, and the handler never called.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class SignatureRefusalsOverHttpTest {
  private static final String PUBLIC_BASE = "https://kv.example.com/flyio";
  private static final String REUSED_NONCE = "5e0c2a81d7b34f6a9c1e0b2d3f4a5b6c";

  @RegisterExtension final ProviderServers servers;

  SignatureRefusalsOverHttpTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  private ProviderServer server;

  @BeforeEach
  void startServer() {
    server = servers.start(ProviderServer.mountedAt("", "/flyio/*").publicBaseUrl(PUBLIC_BASE));
  }

  /** A refusal: what to send first (often nothing), then the request that is refused. */
  record Refusal(
      String story,
      Reason reason,
      Consumer<ProviderServer> before,
      Function<ProviderServer, Reply> send) {
    @Override
    public String toString() {
      return story;
    }
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
            refusal(
                "provision without X-Signature",
                Reason.MISSING_SIGNATURE,
                s -> s.fly().request("POST", "/extensions").json(provisionBody(s, "ext_r")).send()),
            refusal(
                "status call without X-Signature",
                Reason.MISSING_SIGNATURE,
                s ->
                    s.fly()
                        .request("GET", "/extensions/ext_r")
                        .query(query(s, "/extensions/ext_r"))
                        .send()),
            refusal(
                "empty X-Signature",
                Reason.MISSING_SIGNATURE,
                s -> post(s, provisionBody(s, "ext_r"), "")),
            refusal(
                "signature with a sha256= prefix",
                Reason.MALFORMED_SIGNATURE,
                s -> {
                  byte[] body = provisionBody(s, "ext_r");
                  return post(s, body, "sha256=" + s.fly().sign(body));
                }),
            refusal(
                "signature that is not hex",
                Reason.MALFORMED_SIGNATURE,
                s -> post(s, provisionBody(s, "ext_r"), "z".repeat(64))),
            refusal(
                "signature one character short",
                Reason.MALFORMED_SIGNATURE,
                s -> {
                  byte[] body = provisionBody(s, "ext_r");
                  return post(s, body, s.fly().sign(body).substring(1));
                }),
            refusal(
                "valid signature sent twice",
                Reason.MALFORMED_SIGNATURE,
                s -> {
                  byte[] body = provisionBody(s, "ext_r");
                  String signature = s.fly().sign(body);
                  return s.fly()
                      .request("POST", "/extensions")
                      .json(body)
                      .header(RequestSigner.SIGNATURE_HEADER, signature)
                      .header(RequestSigner.SIGNATURE_HEADER, signature)
                      .send();
                }),
            refusal(
                "signed with another secret",
                Reason.SIGNATURE_MISMATCH,
                s -> s.fly().signingWith("not-the-provisioning-secret").provision("ext_r")),
            refusal(
                "body changed after signing",
                Reason.SIGNATURE_MISMATCH,
                s -> {
                  byte[] body = provisionBody(s, "ext_r");
                  String signature = s.fly().sign(body);
                  byte[] tampered =
                      new String(body, StandardCharsets.UTF_8)
                          .replace("\"admin\"", "\"owner\"")
                          .getBytes(StandardCharsets.UTF_8);
                  return post(s, tampered, signature);
                }),
            refusal(
                "query extended after signing",
                Reason.SIGNATURE_MISMATCH,
                s -> {
                  String query = query(s, "/extensions/ext_r");
                  return s.fly()
                      .request("GET", "/extensions/ext_r")
                      .query(query + "&organization_id=OrgOther")
                      .header(RequestSigner.SIGNATURE_HEADER, s.fly().sign(utf8(query)))
                      .send();
                }),
            refusal(
                "query re-ordered after signing",
                Reason.SIGNATURE_MISMATCH,
                s -> {
                  String query = query(s, "/extensions/ext_r");
                  String[] pairs = query.split("&");
                  Arrays.sort(pairs, Comparator.reverseOrder());
                  return s.fly()
                      .request("GET", "/extensions/ext_r")
                      .query(String.join("&", pairs))
                      .header(RequestSigner.SIGNATURE_HEADER, s.fly().sign(utf8(query)))
                      .send();
                }),
            refusal(
                "uppercase hex of another secret's signature",
                Reason.SIGNATURE_MISMATCH,
                s -> {
                  byte[] body = provisionBody(s, "ext_r");
                  String other = RequestSigner.of("not-the-provisioning-secret").sign(body);
                  return post(s, body, other.toUpperCase(Locale.ROOT));
                }),
            refusal(
                "body without a nonce",
                Reason.INCOMPLETE_SIGNED_FIELDS,
                s -> postSigned(s, withoutField(s, "nonce"))),
            refusal(
                "body without a url",
                Reason.INCOMPLETE_SIGNED_FIELDS,
                s -> postSigned(s, withoutField(s, "url"))),
            refusal(
                "body without a timestamp",
                Reason.INCOMPLETE_SIGNED_FIELDS,
                s -> postSigned(s, withoutField(s, "timestamp"))),
            refusal(
                "timestamp in milliseconds",
                Reason.INCOMPLETE_SIGNED_FIELDS,
                s -> {
                  long millis = s.clock().instant().toEpochMilli();
                  return postSigned(
                      s, stamped(s, provisionFields("ext_r").put("timestamp", millis)));
                }),
            refusal(
                "query without a url",
                Reason.INCOMPLETE_SIGNED_FIELDS,
                s -> {
                  String query =
                      "nonce="
                          + RequestSigner.randomNonce()
                          + "&timestamp="
                          + now(s).getEpochSecond();
                  return getSigned(s, "/extensions/ext_r", query);
                }),
            refusal(
                "timestamp 301 s old",
                Reason.STALE_TIMESTAMP,
                s -> {
                  long stale = now(s).minusSeconds(301).getEpochSecond();
                  return postSigned(
                      s, stamped(s, provisionFields("ext_r").put("timestamp", stale)));
                }),
            refusal(
                "query timestamp an hour old",
                Reason.STALE_TIMESTAMP,
                s -> {
                  String url = s.publicUrl("/extensions/ext_r");
                  String query =
                      RequestSigner.query(
                          url, now(s).minusSeconds(3600), RequestSigner.randomNonce());
                  return getSigned(s, "/extensions/ext_r", query);
                }),
            refusal(
                "timestamp 61 s ahead",
                Reason.FUTURE_TIMESTAMP,
                s -> {
                  String ahead = Long.toString(now(s).plusSeconds(61).getEpochSecond());
                  return postSigned(
                      s, stamped(s, provisionFields("ext_r").put("timestamp", ahead)));
                }),
            new Refusal(
                "nonce used before, on another body",
                Reason.REPLAYED_NONCE,
                s ->
                    s.fly()
                        .post(
                            "/extensions", provisionFields("ext_first").put("nonce", REUSED_NONCE)),
                s ->
                    s.fly()
                        .post(
                            "/extensions",
                            provisionFields("ext_second").put("nonce", REUSED_NONCE))),
            new Refusal(
                "status call replayed byte for byte",
                Reason.REPLAYED_NONCE,
                s -> {
                  s.fly().provision("ext_r");
                  s.fly()
                      .request("GET", "/extensions/ext_r")
                      .query(replayedQuery(s))
                      .signed()
                      .send();
                },
                s ->
                    s.fly()
                        .request("GET", "/extensions/ext_r")
                        .query(replayedQuery(s))
                        .signed()
                        .send()),
            refusal(
                "url as the container sees it",
                Reason.WRONG_URL,
                s ->
                    s.fly()
                        .post(
                            "/extensions",
                            provisionFields("ext_r").put("url", s.containerUrl("/extensions")))),
            refusal(
                "url of another provider",
                Reason.WRONG_URL,
                s ->
                    s.fly()
                        .post(
                            "/extensions",
                            provisionFields("ext_r")
                                .put("url", "https://other.example.com/flyio/extensions"))),
            refusal(
                "query url naming another extension",
                Reason.WRONG_URL,
                s -> {
                  String query =
                      RequestSigner.query(
                          s.publicUrl("/extensions/ext_other"),
                          now(s),
                          RequestSigner.randomNonce());
                  return getSigned(s, "/extensions/ext_r", query);
                }))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWith401AndNeverCallsTheHandler(Refusal refusal) {
    refusal.before().accept(server);
    int callsBefore = server.handler().calls();

    Reply reply = refusal.send().apply(server);

    Answers.assertRefused(reply, refusal.reason());
    assertThat(server.handler().calls()).as("handler calls").isEqualTo(callsBefore);
  }

  @Test
  void acceptsARequestSignedForThePublicUrl() {
    Reply reply = server.fly().provision("ext_ok");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(server.handler().provisions.get()).isEqualTo(1);
  }

  @Test
  void acceptsASignatureInUppercaseHex() {
    byte[] body = provisionBody(server, "ext_upper");

    Reply reply = post(server, body, server.fly().sign(body).toUpperCase(Locale.ROOT));

    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void acceptsAStatusCallWhoseSignedUrlCarriesTheQuery() {
    server.fly().provision("ext_q");
    String url = server.publicUrl("/extensions/ext_q") + "?organization_id=OrgA1b2C3";
    String query =
        RequestSigner.query(
            url, now(server), RequestSigner.randomNonce(), Map.of("organization_id", "OrgA1b2C3"));

    Reply reply = getSigned(server, "/extensions/ext_q", query);

    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void acceptsATimestampAtTheEdgesOfTheWindow() {
    long oldest = now(server).minusSeconds(300).getEpochSecond();
    long newest = now(server).plusSeconds(60).getEpochSecond();

    Reply old =
        server.fly().post("/extensions", provisionFields("ext_old").put("timestamp", oldest));
    Reply ahead =
        server.fly().post("/extensions", provisionFields("ext_new").put("timestamp", newest));

    assertThat(old.status()).isEqualTo(200);
    assertThat(ahead.status()).isEqualTo(200);
  }

  private static Refusal refusal(
      String story, Reason reason, Function<ProviderServer, Reply> send) {
    return new Refusal(story, reason, s -> {}, send);
  }

  private static Instant now(ProviderServer server) {
    return server.clock().instant();
  }

  private static ObjectNode stamped(ProviderServer server, ObjectNode fields) {
    return server.fly().stamp(fields, "/extensions");
  }

  private static byte[] provisionBody(ProviderServer server, String flyId) {
    return bytes(stamped(server, provisionFields(flyId)));
  }

  private static ObjectNode withoutField(ProviderServer server, String field) {
    ObjectNode body = stamped(server, provisionFields("ext_r"));
    body.remove(field);
    return body;
  }

  private static String query(ProviderServer server, String routedPath) {
    return server.fly().signedQuery(routedPath, Map.of());
  }

  private static String replayedQuery(ProviderServer server) {
    return RequestSigner.query(server.publicUrl("/extensions/ext_r"), now(server), REUSED_NONCE);
  }

  private static Reply post(ProviderServer server, byte[] body, String signature) {
    return server
        .fly()
        .request("POST", "/extensions")
        .json(body)
        .header(RequestSigner.SIGNATURE_HEADER, signature)
        .send();
  }

  private static Reply postSigned(ProviderServer server, ObjectNode body) {
    return server.fly().request("POST", "/extensions").json(bytes(body)).signed().send();
  }

  private static Reply getSigned(ProviderServer server, String routedPath, String query) {
    return server.fly().request("GET", routedPath).query(query).signed().send();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
