package dev.flyext;

import static dev.flyext.Vectors.EMPTY_HMAC;
import static dev.flyext.Vectors.FOX;
import static dev.flyext.Vectors.FOX_HMAC;
import static dev.flyext.Vectors.FOX_SECRET;
import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_BODY;
import static dev.flyext.Vectors.PROVISION_HMAC;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static dev.flyext.Vectors.QUERY;
import static dev.flyext.Vectors.QUERY_HMAC;
import static dev.flyext.Vectors.QUERY_NONCE;
import static dev.flyext.Vectors.QUERY_TIME;
import static dev.flyext.Vectors.QUERY_URL;
import static dev.flyext.Vectors.WEBHOOK_BODY;
import static dev.flyext.Vectors.WEBHOOK_HMAC;
import static dev.flyext.Vectors.WEBHOOK_NONCE;
import static dev.flyext.Vectors.WEBHOOK_SECRET;
import static dev.flyext.Vectors.WEBHOOK_TIME;
import static dev.flyext.Vectors.WEBHOOK_URL;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every row of the signing vectors, produced by RequestSigner and accepted by the verifier. */
class SigningVectorsTest {

  private static SignatureVerifier verifierAt(Instant now, String secret, String baseUrl) {
    return SignatureVerifier.builder()
        .secret(secret)
        .publicBaseUrl(baseUrl)
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build();
  }

  @Test
  void signsFoxVector() {
    RequestSigner signer = RequestSigner.of(FOX_SECRET);

    String signature = signer.sign(FOX);

    assertThat(signature).isEqualTo(FOX_HMAC);
  }

  @Test
  void signsProvisioningBodyVector() {
    RequestSigner signer = RequestSigner.of(PROVISIONING_SECRET);

    String signature = signer.sign(utf8(PROVISION_BODY));

    assertThat(signature).isEqualTo(PROVISION_HMAC);
  }

  @Test
  void signsQueryVector() {
    RequestSigner signer = RequestSigner.of(PROVISIONING_SECRET);

    String signature = signer.sign(QUERY);

    assertThat(signature).isEqualTo(QUERY_HMAC);
  }

  @Test
  void signsEmptyStringVector() {
    RequestSigner signer = RequestSigner.of(PROVISIONING_SECRET);

    String signature = signer.sign(new byte[0]);

    assertThat(signature).isEqualTo(EMPTY_HMAC);
  }

  @Test
  void signsWebhookBodyVector() {
    RequestSigner signer = RequestSigner.of(WEBHOOK_SECRET);

    String signature = signer.sign(utf8(WEBHOOK_BODY));

    assertThat(signature).isEqualTo(WEBHOOK_HMAC);
  }

  @Test
  void signsStringsAsTheirUtf8Bytes() {
    RequestSigner signer = RequestSigner.of(PROVISIONING_SECRET);
    String text = "Zürich ☃ 東京";

    String fromString = signer.sign(text);
    String fromBytes = signer.sign(text.getBytes(StandardCharsets.UTF_8));

    assertThat(fromString).isEqualTo(fromBytes).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void buildsTheQueryVectorInFlysOrderAndEncoding() {
    String query = RequestSigner.query(QUERY_URL, QUERY_TIME, QUERY_NONCE);

    assertThat(query).isEqualTo(QUERY);
  }

  @Test
  void appendsExtraQueryParametersAfterTheSignedOnes() {
    String query =
        RequestSigner.query(QUERY_URL, QUERY_TIME, QUERY_NONCE, Map.of("from", "2025-12-01"));

    assertThat(query).isEqualTo(QUERY + "&from=2025-12-01");
  }

  @Test
  void refusesExtraQueryParameterThatWouldReplaceASignedOne() {
    Map<String, String> extra = Map.of("nonce", "another");

    assertThatThrownBy(() -> RequestSigner.query(QUERY_URL, QUERY_TIME, QUERY_NONCE, extra))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nonce");
  }

  @Test
  void verifierAcceptsFoxVector() {
    SignatureVerifier verifier = verifierAt(PROVISION_TIME, FOX_SECRET, PUBLIC_BASE_URL);

    verifier.verifySignature(List.of(FOX_HMAC), utf8(FOX));

    assertThatThrownBy(() -> verifier.verifySignature(List.of(FOX_HMAC), utf8(FOX + ".")))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void verifierAcceptsProvisioningBodyVector() {
    SignatureVerifier verifier = verifierAt(PROVISION_TIME, PROVISIONING_SECRET, PUBLIC_BASE_URL);

    ObjectNode json =
        verifier.verifyBody(List.of(PROVISION_HMAC), utf8(PROVISION_BODY), "/extensions");

    assertThat(json.get("id").textValue()).isEqualTo("ext_7hq2m");
    assertThat(json.get("nonce").textValue()).isEqualTo("4f1c9a7e2b3d4c5e6f708192a3b4c5d6");
  }

  @Test
  void verifierAcceptsQueryVector() {
    SignatureVerifier verifier = verifierAt(QUERY_TIME, PROVISIONING_SECRET, PUBLIC_BASE_URL);

    Map<String, String> parameters =
        verifier.verifyQuery(List.of(QUERY_HMAC), QUERY, "/extensions/ext_7hq2m");

    assertThat(parameters)
        .containsExactly(
            Map.entry("nonce", QUERY_NONCE),
            Map.entry("timestamp", "1764800100"),
            Map.entry("url", QUERY_URL));
  }

  @Test
  void verifierAcceptsEmptyStringVectorAsASignatureButWantsSignedFields() {
    SignatureVerifier verifier = verifierAt(QUERY_TIME, PROVISIONING_SECRET, PUBLIC_BASE_URL);

    Throwable thrown =
        catchThrowable(
            () -> verifier.verifyQuery(List.of(EMPTY_HMAC), null, "/extensions/ext_7hq2m"));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            SignatureException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(SignatureException.Reason.INCOMPLETE_SIGNED_FIELDS));
  }

  @Test
  void verifierAcceptsWebhookBodyVectorForFlysHookUrl() {
    SignatureVerifier verifier =
        verifierAt(WEBHOOK_TIME, WEBHOOK_SECRET, "https://api.fly.io/api/hooks");

    ObjectNode json =
        verifier.verifyBody(List.of(WEBHOOK_HMAC), utf8(WEBHOOK_BODY), "/extensions/kvstore");

    assertThat(json.get("action").textValue()).isEqualTo("resource.updated");
  }

  @Test
  void lifecycleWebhookWritesTheVectorBodyByteForByte() {
    Resource resource = Resource.builder("ext_7hq2m", ResourceStatus.READY).plan("starter").build();
    LifecycleWebhook webhook =
        LifecycleWebhook.of(
            WebhookAction.UPDATED,
            resource,
            Instant.ofEpochSecond(1764800200),
            WEBHOOK_NONCE,
            WEBHOOK_URL);

    byte[] body = webhook.toJson();

    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(WEBHOOK_BODY);
    assertThat(RequestSigner.of(WEBHOOK_SECRET).sign(body)).isEqualTo(WEBHOOK_HMAC);
  }

  @Test
  void lifecycleWebhookParsesTheVectorBody() {
    LifecycleWebhook webhook = LifecycleWebhook.parse(utf8(WEBHOOK_BODY));

    assertThat(webhook.action()).isEqualTo(WebhookAction.UPDATED);
    assertThat(webhook.timestamp()).isEqualTo(WEBHOOK_TIME);
    assertThat(webhook.nonce()).isEqualTo(WEBHOOK_NONCE);
    assertThat(webhook.url()).isEqualTo(WEBHOOK_URL);
    assertThat(webhook.resource().id()).isEqualTo("ext_7hq2m");
    assertThat(webhook.resource().status()).isEqualTo(ResourceStatus.READY);
    assertThat(webhook.resource().plan()).isEqualTo("starter");
  }

  @Test
  void createdWebhooksCarryFreshRandomNonces() {
    Resource resource = Resource.builder("ext_1", ResourceStatus.READY).build();

    LifecycleWebhook first =
        LifecycleWebhook.create(WebhookAction.CREATED, resource, WEBHOOK_TIME, WEBHOOK_URL);
    LifecycleWebhook second =
        LifecycleWebhook.create(WebhookAction.CREATED, resource, WEBHOOK_TIME, WEBHOOK_URL);

    assertThat(first.nonce()).matches("[0-9a-f]{32}");
    assertThat(second.nonce()).matches("[0-9a-f]{32}").isNotEqualTo(first.nonce());
  }
}
