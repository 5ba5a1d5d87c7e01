package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.ProvisionRequest;
import dev.flyext.RequestSigner;
import dev.flyext.SignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bodies sent as exact bytes over a plain socket, with {@code Content-Type: application/json} and
 * no charset: the signature is checked over the bytes received, and the text reaches the handler as
 * it was written.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class RawBytesOverHttpTest {
  private static final String VECTOR_SECRET = "prov-secret-1";
  private static final String VECTOR_BODY =
      "{\"name\":\"kv-prod\",\"id\":\"ext_7hq2m\",\"organization_id\":\"OrgA1b2C3\","
          + "\"organization_name\":\"Acme Rockets\",\"user_email\":\"u7x9@customer.fly.io\","
          + "\"user_id\":\"Usr4k2P9\",\"user_role\":\"admin\",\"primary_region\":\"ams\","
          + "\"read_regions\":[\"cdg\",\"fra\"],\"ip_address\":\"fdaa:0:1:a7b:1::2\","
          + "\"url\":\"https://kv.example.com/flyio/extensions\","
          + "\"nonce\":\"4f1c9a7e2b3d4c5e6f708192a3b4c5d6\",\"timestamp\":1764800000}";
  private static final String VECTOR_BODY_SIGNATURE =
      "43d34a3c160fb1b44d03719ad44db6e16e5eebbfbb65cf0fc28b8bca7cfc47a3";
  private static final String VECTOR_QUERY =
      "nonce=9a8b7c6d5e4f30211203f4e5d6c7b8a9&timestamp=1764800100"
          + "&url=https%3A%2F%2Fkv.example.com%2Fflyio%2Fextensions%2Fext_7hq2m";
  private static final String VECTOR_QUERY_SIGNATURE =
      "57a1b0f78d6464a650375f2c0fcc759b8424675cb4e83bc9c28b4911ace9c148";
  private static final String NAME = "Zürich Åkerö 東京";

  @RegisterExtension final ProviderServers servers;

  RawBytesOverHttpTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  @Test
  void verifiesANonAsciiBodyOverItsUtf8BytesWithoutACharset() {
    ProviderServer server = servers.start(ProviderServer.atFlyio());
    byte[] body = utf8(provisionJson(server, "ext_utf8", NAME));

    Reply reply = postRaw(server, body, server.fly().sign(body));

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    assertThat(onlyProvision(server).organizationName()).isEqualTo(NAME);
  }

  @Test
  void refusesASignatureOverTheSameTextInAnotherEncoding() {
    ProviderServer server = servers.start(ProviderServer.atFlyio());
    String json = provisionJson(server, "ext_latin", "Zürich Åkerö");
    String latin1Signature = server.fly().sign(json.getBytes(StandardCharsets.ISO_8859_1));

    Reply reply = postRaw(server, utf8(json), latin1Signature);

    Answers.assertRefused(reply, Reason.SIGNATURE_MISMATCH);
    assertThat(server.handler().calls()).isZero();
  }

  @Test
  void verifiesPrettyPrintedJsonOverItsRawBytes() {
    ProviderServer server = servers.start(ProviderServer.atFlyio());
    String pretty =
        provisionJson(server, "ext_pretty", NAME)
            .replace("{", "{\r\n    ")
            .replace(",\"", ",\n    \"")
            .replace("\":", "\" :\t")
            .replace("}", "\n}\n");
    byte[] body = utf8(pretty);

    Reply reply = postRaw(server, body, server.fly().sign(body));

    assertThat(pretty).contains("\n    \"id\" :\t\"ext_pretty\"");
    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    assertThat(onlyProvision(server).organizationName()).isEqualTo(NAME);
  }

  @Test
  void verifiesJsonWithEscapesOverItsRawBytes() {
    ProviderServer server = servers.start(ProviderServer.atFlyio());
    String escaped =
        provisionJson(server, "ext_escaped", "Z\\u00fcrich \\u6771\\u4eac")
            .replace(
                server.publicUrl("/extensions"),
                server.publicUrl("/extensions").replace("/", "\\/"));
    byte[] body = utf8(escaped);

    Reply reply = postRaw(server, body, server.fly().sign(body));

    assertThat(escaped).contains("http:\\/\\/127.0.0.1").contains("\\u00fc");
    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    assertThat(onlyProvision(server).organizationName()).isEqualTo("Zürich 東京");
    assertThat(onlyProvision(server).url()).isEqualTo(server.publicUrl("/extensions"));
  }

  @Test
  void acceptsTheProtocolVectorBody() {
    ProviderServer server = servers.start(vectorServer(Instant.ofEpochSecond(1764800000)));

    Reply reply = postRaw(server, utf8(VECTOR_BODY), VECTOR_BODY_SIGNATURE);

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    assertThat(reply.json().get("id").asText()).isEqualTo("ext_7hq2m");
    ProvisionRequest request = onlyProvision(server);
    assertThat(request.name()).isEqualTo("kv-prod");
    assertThat(request.ipAddress()).isEqualTo("fdaa:0:1:a7b:1::2");
    assertThat(request.timestamp()).isEqualTo(Instant.ofEpochSecond(1764800000));
  }

  @Test
  void acceptsTheProtocolVectorBodySignedInUppercaseHex() {
    ProviderServer server = servers.start(vectorServer(Instant.ofEpochSecond(1764800000)));

    Reply reply =
        postRaw(server, utf8(VECTOR_BODY), VECTOR_BODY_SIGNATURE.toUpperCase(Locale.ROOT));

    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void acceptsTheProtocolVectorQuery() {
    ProviderServer server = servers.start(vectorServer(Instant.ofEpochSecond(1764800100)));
    postRaw(server, utf8(VECTOR_BODY), VECTOR_BODY_SIGNATURE);

    Reply reply =
        server.raw(
            "GET",
            "/flyio/extensions/ext_7hq2m?" + VECTOR_QUERY,
            new byte[0],
            "X-Signature: " + VECTOR_QUERY_SIGNATURE);

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    assertThat(reply.json().get("status").asText()).isEqualTo("ready");
    assertThat(server.handler().resourceRequests.get(0).parameter("nonce"))
        .isEqualTo("9a8b7c6d5e4f30211203f4e5d6c7b8a9");
  }

  @Test
  void refusesAReplayOfTheProtocolVectorUnderTheConfiguredClock() {
    ProviderServer server = servers.start(vectorServer(Instant.ofEpochSecond(1764800000)));
    postRaw(server, utf8(VECTOR_BODY), VECTOR_BODY_SIGNATURE);

    Reply replay = postRaw(server, utf8(VECTOR_BODY), VECTOR_BODY_SIGNATURE);

    Answers.assertRefused(replay, Reason.REPLAYED_NONCE);
  }

  @Test
  void refusesTheProtocolVectorBodyWhenTheClockHasMovedOn() {
    ProviderServer server = servers.start(vectorServer(Instant.ofEpochSecond(1764800301)));

    Reply reply = postRaw(server, utf8(VECTOR_BODY), VECTOR_BODY_SIGNATURE);

    Answers.assertRefused(reply, Reason.STALE_TIMESTAMP);
    assertThat(server.handler().calls()).isZero();
  }

  private static ProviderServer.Builder vectorServer(Instant now) {
    return ProviderServer.atFlyio()
        .publicBaseUrl("https://kv.example.com/flyio")
        .secret(VECTOR_SECRET)
        .clockAt(now);
  }

  private static String provisionJson(ProviderServer server, String id, String organizationName) {
    return "{\"name\":\"kv-"
        + id
        + "\",\"id\":\""
        + id
        + "\",\"organization_id\":\"OrgA1b2C3\",\"organization_name\":\""
        + organizationName
        + "\",\"user_id\":\"Usr4k2P9\",\"user_email\":\"u7x9@customer.fly.io\","
        + "\"user_role\":\"admin\",\"url\":\""
        + server.publicUrl("/extensions")
        + "\",\"nonce\":\""
        + RequestSigner.randomNonce()
        + "\",\"timestamp\":"
        + server.clock().instant().getEpochSecond()
        + "}";
  }

  /** POSTs exact bytes with {@code Content-Type: application/json} and nothing else said. */
  private static Reply postRaw(ProviderServer server, byte[] body, String signature) {
    return server.raw(
        "POST",
        "/flyio/extensions",
        body,
        "Content-Type: application/json",
        "Content-Length: " + body.length,
        "X-Signature: " + signature);
  }

  private static ProvisionRequest onlyProvision(ProviderServer server) {
    assertThat(server.handler().provisionRequests).hasSize(1);
    return server.handler().provisionRequests.get(0);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
