package dev.flyext.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.flyext.MachineEvent;
import dev.flyext.RequestSigner;
import dev.flyext.SignatureException;
import dev.flyext.SignatureVerifier;
import dev.flyext.internal.QueryStrings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlySimulatorTest {
  private static final String SECRET = "prov-secret-simulator-4Kd9";
  private static final String PUBLIC = "https://kv.example.com/flyio";
  private static final Instant NOW = Instant.ofEpochSecond(1_764_800_000);
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordingServer server;
  private FlySimulator fly;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingServer();
    fly =
        FlySimulator.builder()
            .baseUrl(server.url() + "/flyio")
            .publicUrl(PUBLIC)
            .secret(SECRET)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void provisionSignsTheExactBodyWithTheSignedFieldsInside() throws Exception {
    fly.provision("ext_1").send();

    RecordingServer.Received received = server.take();
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.rawPath()).isEqualTo("/flyio/extensions");
    assertThat(received.header("Content-Type")).isEqualTo("application/json");
    assertThat(received.header("X-Signature"))
        .isEqualTo(RequestSigner.of(SECRET).sign(received.body()));
    JsonNode body = JSON.readTree(received.body());
    assertThat(body.get("id").asText()).isEqualTo("ext_1");
    assertThat(body.get("organization_id").asText()).isEqualTo(FlySimulator.ORGANIZATION_ID);
    assertThat(body.get("url").asText()).isEqualTo(PUBLIC + "/extensions");
    assertThat(body.get("nonce").asText()).hasSize(32);
    assertThat(body.get("timestamp").isIntegralNumber()).isTrue();
    assertThat(body.get("timestamp").asLong()).isEqualTo(NOW.getEpochSecond());
  }

  @Test
  void whatItSendsPassesTheSdksOwnVerifier() throws Exception {
    SignatureVerifier verifier =
        SignatureVerifier.builder()
            .secret(SECRET)
            .publicBaseUrl(PUBLIC)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();

    fly.provision("ext_1").send();
    fly.status("ext_1").send();
    fly.update("ext_1").field("name", "renamed").send();
    fly.delete("ext_1").send();
    fly.billing(LocalDate.of(2025, 12, 1), LocalDate.of(2025, 12, 3)).send();

    for (int i = 0; i < 5; i++) {
      RecordingServer.Received received = server.take();
      String routed = received.rawPath().substring("/flyio".length());
      if (received.rawQuery() == null) {
        verifier.verifyBody(received.headers("X-Signature"), received.body(), routed);
      } else {
        verifier.verifyQuery(received.headers("X-Signature"), received.rawQuery(), routed);
      }
    }
  }

  @Test
  void statusSignsTheRawQueryInFlysOrder() throws Exception {
    fly.status("ext_1").send();

    RecordingServer.Received received = server.take();
    assertThat(received.method()).isEqualTo("GET");
    assertThat(received.rawPath()).isEqualTo("/flyio/extensions/ext_1");
    assertThat(received.body()).isEmpty();
    assertThat(received.rawQuery())
        .matches(
            "nonce=[0-9a-f]{32}&timestamp=1764800000&url=https%3A%2F%2Fkv\\.example\\.com"
                + "%2Fflyio%2Fextensions%2Fext_1");
    assertThat(received.header("X-Signature"))
        .isEqualTo(RequestSigner.of(SECRET).sign(received.rawQuery()));
  }

  @Test
  void idsAreSentAsOneEncodedPathSegment() throws Exception {
    fly.delete("ext 1/ü").send();

    RecordingServer.Received received = server.take();
    assertThat(received.method()).isEqualTo("DELETE");
    assertThat(received.rawPath()).isEqualTo("/flyio/extensions/ext%201%2F%C3%BC");
    assertThat(QueryStrings.parse(received.rawQuery()).get("url"))
        .isEqualTo(PUBLIC + "/extensions/ext%201%2F%C3%BC");
  }

  @Test
  void updateCarriesOnlyTheFieldsGivenAndTheSignedOnes() throws Exception {
    fly.update("ext_1", JSON.createObjectNode().put("primary_region", "fra")).send();

    RecordingServer.Received received = server.take();
    assertThat(received.method()).isEqualTo("PATCH");
    JsonNode body = JSON.readTree(received.body());
    assertThat(body.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("primary_region", "url", "nonce", "timestamp");
    assertThat(body.get("url").asText()).isEqualTo(PUBLIC + "/extensions/ext_1");
  }

  @Test
  void overridesAreSignedSoOnlyTheirValueIsWrong() throws Exception {
    Instant stale = NOW.minusSeconds(600);

    fly.provision("ext_1")
        .timestamp(stale)
        .nonce("fixed-nonce")
        .url("https://elsewhere.example/flyio/extensions")
        .field("options", JSON.createObjectNode().put("plan", "pro"))
        .remove("primary_region")
        .send();

    RecordingServer.Received received = server.take();
    JsonNode body = JSON.readTree(received.body());
    assertThat(body.get("timestamp").asLong()).isEqualTo(stale.getEpochSecond());
    assertThat(body.get("nonce").asText()).isEqualTo("fixed-nonce");
    assertThat(body.get("url").asText()).isEqualTo("https://elsewhere.example/flyio/extensions");
    assertThat(body.get("options").get("plan").asText()).isEqualTo("pro");
    assertThat(body.has("primary_region")).isFalse();
    assertThat(received.header("X-Signature"))
        .isEqualTo(RequestSigner.of(SECRET).sign(received.body()));
  }

  @Test
  void signatureOverridesReplaceOnlyTheHeader() throws Exception {
    fly.status("ext_1").signWith("another-secret").send();
    fly.status("ext_1").corruptSignature().send();
    fly.status("ext_1").signature("sha256=abc").send();
    fly.status("ext_1").withoutSignature().send();

    RecordingServer.Received other = server.take();
    assertThat(other.header("X-Signature"))
        .isEqualTo(RequestSigner.of("another-secret").sign(other.rawQuery()));
    RecordingServer.Received corrupted = server.take();
    String right = RequestSigner.of(SECRET).sign(corrupted.rawQuery());
    assertThat(corrupted.header("X-Signature"))
        .hasSize(64)
        .isNotEqualTo(right)
        .startsWith(right.substring(0, 63));
    assertThat(server.take().header("X-Signature")).isEqualTo("sha256=abc");
    assertThat(server.take().headers("X-Signature")).isEmpty();
  }

  @Test
  void aCorruptedSignatureIsRefusedAsAMismatchNotAsMalformed() throws Exception {
    SignatureVerifier verifier =
        SignatureVerifier.builder()
            .secret(SECRET)
            .publicBaseUrl(PUBLIC)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();
    FlyCall call = fly.provision("ext_1").corruptSignature();

    assertThatThrownBy(
            () ->
                verifier.verifyBody(
                    List.of(call.signatureHeader()), call.bodyBytes(), "/extensions"))
        .isInstanceOfSatisfying(
            SignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(SignatureException.Reason.SIGNATURE_MISMATCH));
  }

  @Test
  void rawBodyAndRawQueryAreSentAndSignedExactly() throws Exception {
    byte[] raw = "{\"id\": \"ext_1\",\n \"odd\": true}".getBytes(StandardCharsets.UTF_8);

    fly.provision("ext_1").rawBody(raw).send();
    fly.status("ext_1").rawQuery("b=2&a=1").send();

    RecordingServer.Received post = server.take();
    assertThat(post.body()).isEqualTo(raw);
    assertThat(post.header("X-Signature")).isEqualTo(RequestSigner.of(SECRET).sign(raw));
    RecordingServer.Received get = server.take();
    assertThat(get.rawQuery()).isEqualTo("b=2&a=1");
    assertThat(get.header("X-Signature")).isEqualTo(RequestSigner.of(SECRET).sign("b=2&a=1"));
  }

  @Test
  void sendingTheSameCallTwiceIsAByteForByteReplay() throws Exception {
    FlyCall call = fly.provision("ext_1");

    call.send();
    call.send();

    RecordingServer.Received first = server.take();
    RecordingServer.Received second = server.take();
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.header("X-Signature")).isEqualTo(first.header("X-Signature"));
  }

  @Test
  void cloudEventsCarryTheirAttributesInHeaders() throws Exception {
    fly.machineEvent(MachineEvent.Format.CLOUD_EVENT, "io.fly.machine.starting")
        .eventId("evt_1")
        .send();

    RecordingServer.Received received = server.take();
    assertThat(received.rawPath()).isEqualTo("/flyio/extensions/events");
    assertThat(received.header("ce-specversion")).isEqualTo("1.0");
    assertThat(received.header("ce-id")).isEqualTo("evt_1");
    assertThat(received.header("ce-type")).isEqualTo("io.fly.machine.starting");
    assertThat(received.header("ce-source")).isEqualTo("/machines/" + FlySimulator.MACHINE_ID);
    assertThat(received.header("ce-time")).isEqualTo("2025-12-03T22:13:20Z");
    JsonNode body = JSON.readTree(received.body());
    assertThat(body.get("machine_id").asText()).isEqualTo(FlySimulator.MACHINE_ID);
    assertThat(body.get("status").asText()).isEqualTo("starting");
    assertThat(body.has("nonce")).isFalse();
    assertThat(received.header("X-Signature"))
        .isEqualTo(RequestSigner.of(SECRET).sign(received.body()));
  }

  @Test
  void legacyEventsCarryEverythingInTheBody() throws Exception {
    fly.machineEvent(MachineEvent.Format.LEGACY, "io.fly.machine.stopped").send();

    RecordingServer.Received received = server.take();
    assertThat(received.headers("ce-id")).isEmpty();
    JsonNode body = JSON.readTree(received.body());
    assertThat(body.get("id").asText()).startsWith("evt_");
    assertThat(body.get("type").asText()).isEqualTo("io.fly.machine.stopped");
    assertThat(body.get("status").asText()).isEqualTo("stopped");
    assertThat(body.get("timestamp").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(received.header("X-Signature"))
        .isEqualTo(RequestSigner.of(SECRET).sign(received.body()));
  }

  @Test
  void billingAsksForThePeriodAfterTheSignedParameters() throws Exception {
    FlySimulator custom =
        FlySimulator.builder().baseUrl(server.url()).secret(SECRET).billingPath("/usage").build();

    custom.billing(LocalDate.of(2025, 12, 1), LocalDate.of(2025, 12, 2)).send();

    RecordingServer.Received received = server.take();
    assertThat(received.rawPath()).isEqualTo("/usage");
    assertThat(received.rawQuery()).endsWith("&from=2025-12-01&to=2025-12-02");
    assertThat(QueryStrings.parse(received.rawQuery()).get("url"))
        .isEqualTo(server.url() + "/usage");
  }

  @Test
  void theDashboardIsABrowsersUnsignedGetAndRedirectsAreNotFollowed() throws Exception {
    server.redirectTo("http://127.0.0.1:1/oauth/authorize?state=x");

    FlyReply reply = fly.dashboard("ext_1").send();

    assertThat(reply.status()).isEqualTo(302);
    assertThat(reply.header("location")).contains("http://127.0.0.1:1/oauth/authorize?state=x");
    RecordingServer.Received received = server.take();
    assertThat(received.rawPath()).isEqualTo("/flyio/extensions/ext_1/sso");
    assertThat(received.rawQuery()).isNull();
    assertThat(received.headers("X-Signature")).isEmpty();
    assertThatThrownBy(() -> fly.dashboard("ext_1").nonce("n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not signed");
  }

  @Test
  void repliesKeepStatusHeadersAndBytes() throws Exception {
    server.answer(409, "application/json; charset=utf-8", "{\"error\":\"busy\"}");

    FlyReply reply = fly.provision("ext_1").send();

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.isSuccess()).isFalse();
    assertThat(reply.header("CONTENT-TYPE")).contains("application/json; charset=utf-8");
    assertThat(reply.isJson()).isTrue();
    assertThat(reply.json().get("error").asText()).isEqualTo("busy");
    assertThat(reply.text()).isEqualTo("{\"error\":\"busy\"}");
  }

  @Test
  void anHtmlReplyIsNotJson() throws Exception {
    server.answer(500, "text/html", "<html><body>oops</body></html>");

    FlyReply reply = fly.status("ext_1").send();

    assertThat(reply.isJson()).isFalse();
    assertThat(reply.jsonIfAny()).isEmpty();
    assertThatThrownBy(reply::json)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not JSON: <html>");
  }

  @Test
  void descriptionsShortenSignaturesAndMaskConfigStrings() throws Exception {
    server.answer(
        200,
        "application/json",
        "{\"id\":\"ext_1\",\"config\":{\"KV_TOKEN\":\"kvt_secret\",\"KV_PORT\":6379}}");
    FlyCall call = fly.provision("ext_1");

    FlyReply reply = call.send();

    assertThat(call.describe())
        .startsWith("POST /flyio/extensions X-Signature: ")
        .contains(call.signatureHeader().substring(0, 8) + "...")
        .doesNotContain(call.signatureHeader())
        .doesNotContain(SECRET);
    assertThat(reply.describe())
        .isEqualTo(
            "200 application/json {\"id\":\"ext_1\",\"config\":{\"KV_TOKEN\":\"(masked)\","
                + "\"KV_PORT\":6379}}");
  }

  @Test
  void bodyFieldsCanTakeAnyJsonValue() throws Exception {
    fly.provision("ext_1").field("timestamp", IntNode.valueOf(7)).send();

    assertThat(JSON.readTree(server.take().body()).get("timestamp").asInt()).isEqualTo(7);
  }

  @Test
  void theBuilderSaysWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> FlySimulator.builder().secret("s").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("baseUrl(...)");
    assertThatThrownBy(() -> FlySimulator.builder().baseUrl("http://127.0.0.1:1").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("secret(...)");
    assertThatThrownBy(() -> FlySimulator.builder().baseUrl("127.0.0.1:8080/flyio"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute http or https URL");
    assertThatThrownBy(() -> FlySimulator.builder().publicUrl("https://kv.example.com/?x=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query");
    assertThatThrownBy(() -> FlySimulator.builder().secret(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void trailingSlashesAreDroppedAndThePublicUrlDefaultsToTheBaseUrl() {
    FlySimulator plain =
        FlySimulator.builder().baseUrl("http://127.0.0.1:9/flyio/").secret(SECRET).build();

    assertThat(plain.baseUrl()).isEqualTo("http://127.0.0.1:9/flyio");
    assertThat(plain.publicUrl("/extensions")).isEqualTo("http://127.0.0.1:9/flyio/extensions");
  }
}
