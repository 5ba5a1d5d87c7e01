package dev.flyext;

import static dev.flyext.Fly.json;
import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour pinned after an outside review tried to break the endpoint. */
class ReviewFindingsTest {
  private final MutableClock clock = MutableClock.at(PROVISION_TIME);
  private final RecordingHandler handler = new RecordingHandler();
  private final Fly fly = new Fly(clock);
  private final ProviderEndpoint endpoint =
      ProviderEndpoint.builder()
          .handler(handler)
          .provisioningSecret(PROVISIONING_SECRET)
          .publicBaseUrl(PUBLIC_BASE_URL)
          .clock(clock)
          .build();

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "..", "a\\\\b", "tab\\tid", " ", "events", "ext_%2F", "a b"})
  void refusesAnIdNoRouteCouldAddress(String id) {
    ObjectNode body = ProvisionRequestTest.vector();
    body.put("id", id.replace("\\\\", "\\").replace("\\t", "\t"));
    body.put("nonce", RequestSigner.randomNonce());
    body.put("timestamp", clock.instant().getEpochSecond());

    ProviderResponse response =
        endpoint.handle(fly.signedBody("POST", "/extensions", ProvisionRequestTest.bytes(body)));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue()).contains("`id`");
    assertThat(handler.provisions).hasValue(0);
  }

  @Test
  void refusesAHugeNumberAndAHugeString() {
    String number = Vectors.PROVISION_BODY.replace("1764800000", "1" + "0".repeat(99));
    String string =
        Vectors.PROVISION_BODY.replace("\"kv-prod\"", "\"" + "x".repeat((1 << 20) + 1) + "\"");

    assertThatThrownBy(() -> ProvisionRequest.parse(Vectors.utf8(number)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("JSON limit");
    assertThatThrownBy(() -> ProvisionRequest.parse(Vectors.utf8(string)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("JSON limit");
  }

  @Test
  void refusesAnIdTooLongForARoute() {
    assertThatThrownBy(() -> ProvisionResult.builder("x".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+10000-01-01", "+999999999-12-30", "2026-1-01", "26-01-01"})
  void refusesABillingDateThatIsNotFourDigitYearMonthDay(String from) {
    handler.onBilling = period -> List.of();

    ProviderResponse response =
        endpoint.handle(fly.signedQuery("GET", "/billing", Map.of("from", from, "to", from)));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("reason").textValue()).isEqualTo("invalid_request");
  }

  @Test
  void aProvisionForADeletedIdIsAConflictNotItsOldCredentials() {
    endpoint.handle(fly.provision("ext_del"));
    endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_del"));

    ProviderResponse again = endpoint.handle(fly.provision("ext_del"));

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.bodyText()).doesNotContain("token-for-ext_del");
  }

  @Test
  void everyRefusalNamesItsReason() {
    ProviderResponse notFound = endpoint.handle(ProviderRequest.builder("GET", "/nope").build());
    ProviderResponse notAllowed =
        endpoint.handle(ProviderRequest.builder("PUT", "/extensions").build());

    assertThat(json(notFound).get("reason").textValue()).isEqualTo("unknown_route");
    assertThat(json(notAllowed).get("reason").textValue()).isEqualTo("method_not_allowed");
  }

  @Test
  void refusesASignedUrlWithUserInfo() {
    byte[] body = fly.provisionBody("ext_ui");
    String text =
        new String(body, java.nio.charset.StandardCharsets.UTF_8)
            .replace("https://kv.example.com/", "https://attacker@kv.example.com/");

    ProviderResponse response =
        endpoint.handle(fly.signedBody("POST", "/extensions", Vectors.utf8(text)));

    assertThat(response.status()).isEqualTo(401);
    assertThat(json(response).get("reason").textValue()).isEqualTo("wrong_url");
  }

  @Test
  void aLogLineCannotBeForgedThroughAnId() {
    RequestOutcome outcome =
        new RequestOutcome(
            "GET",
            "/extensions/{id}",
            "x 200 1 ms\u2028DELETE id=ext_prod 200 0 ms",
            401,
            "missing_signature",
            Duration.ofMillis(1));

    String line = outcome.toLogLine();

    assertThat(line).doesNotContain(" 200 1 ms").doesNotContain("\u2028");
    assertThat(line).endsWith("401 missing_signature 1 ms");
  }

  @Test
  void aSignInWithoutAnOAuthClientIsRefusedAtBuild() {
    FlyApiClient bare = FlyApiClient.builder().build();

    assertThatThrownBy(
            () ->
                ProviderEndpoint.builder()
                    .handler(handler)
                    .provisioningSecret(PROVISIONING_SECRET)
                    .publicBaseUrl(PUBLIC_BASE_URL)
                    .dashboardSignIn(bare)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("oauthClient");
    bare.close();
  }

  @Test
  void aSignInWhoseRedirectMissesTheCallbackIsRefusedAtBuild() {
    FlyApiClient elsewhere =
        FlyApiClient.builder()
            .oauthClient("id", "secret")
            .redirectUri("https://elsewhere.example/cb")
            .build();

    assertThatThrownBy(
            () ->
                ProviderEndpoint.builder()
                    .handler(handler)
                    .provisioningSecret(PROVISIONING_SECRET)
                    .publicBaseUrl(PUBLIC_BASE_URL)
                    .dashboardSignIn(elsewhere)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(PUBLIC_BASE_URL + "/oauth/callback");
    elsewhere.close();
  }

  @Test
  void aMissingSecretSaysWhereItComesFrom() {
    assertThatThrownBy(() -> ProviderEndpoint.builder().provisioningSecret(null))
        .hasMessageContaining("FLY_PROVISIONING_SECRET");
  }
}
