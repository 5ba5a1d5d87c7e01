package dev.flyext.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyext.LifecycleWebhook;
import dev.flyext.RequestSigner;
import dev.flyext.Resource;
import dev.flyext.ResourceStatus;
import dev.flyext.WebhookAction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in's webhook endpoint on its own: signed webhooks sent by hand, over HTTP. */
class FlyApiStandInWebhookTest {
  private static final String WEBHOOK_SECRET = "hook-secret-standin-7Yt2";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  private FlyApiStandIn fly;
  private String hookUrl;

  @BeforeEach
  void start() throws Exception {
    fly = FlyApiStandIn.builder().providerName("kvstore").webhookSecret(WEBHOOK_SECRET).start();
    hookUrl = fly.url() + "/api/hooks/extensions/kvstore";
  }

  @AfterEach
  void stop() {
    fly.close();
  }

  @Test
  void acceptsAndRecordsAValidlySignedWebhook() throws Exception {
    byte[] body = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);

    HttpResponse<String> answer = post(hookUrl, body, RequestSigner.of(WEBHOOK_SECRET).sign(body));

    assertThat(answer.statusCode()).isEqualTo(200);
    ReceivedWebhook received =
        fly.awaitWebhook(w -> w.resource().id().equals("ext_1"), Duration.ofSeconds(5));
    assertThat(received.webhook().action()).isEqualTo(WebhookAction.UPDATED);
    assertThat(received.body()).isEqualTo(body);
    assertThat(received.signature()).isEqualTo(RequestSigner.of(WEBHOOK_SECRET).sign(body));
    assertThat(fly.refusedWebhooks()).isEmpty();
  }

  @Test
  void refusesATamperedBody() throws Exception {
    byte[] body = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);
    String signature = RequestSigner.of(WEBHOOK_SECRET).sign(body);
    byte[] tampered =
        new String(body, StandardCharsets.UTF_8)
            .replace("ext_1", "ext_2")
            .getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> answer = post(hookUrl, tampered, signature);

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(answer.body()).get("reason").asText()).isEqualTo("signature_mismatch");
    assertThat(fly.webhooks()).isEmpty();
    assertThat(fly.refusedWebhooks()).containsExactly("signature_mismatch");
  }

  @Test
  void refusesTheWrongSecretAMissingSignatureAndAStaleTimestamp() throws Exception {
    byte[] wrongSecret = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);
    byte[] unsigned = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);
    byte[] stale = webhook(Instant.now().minusSeconds(900), RequestSigner.randomNonce(), hookUrl);

    int wrong =
        post(hookUrl, wrongSecret, RequestSigner.of("prov-secret").sign(wrongSecret)).statusCode();
    int missing = post(hookUrl, unsigned, null).statusCode();
    int old = post(hookUrl, stale, RequestSigner.of(WEBHOOK_SECRET).sign(stale)).statusCode();

    assertThat(wrong).isEqualTo(401);
    assertThat(missing).isEqualTo(401);
    assertThat(old).isEqualTo(401);
    assertThat(fly.refusedWebhooks())
        .containsExactly("signature_mismatch", "missing_signature", "stale_timestamp");
    assertThat(fly.webhooks()).isEmpty();
    assertThat(fly.webhookAttempts()).isEqualTo(3);
  }

  @Test
  void refusesAReplayedNonceAndAForeignUrl() throws Exception {
    byte[] once = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);
    byte[] foreign =
        webhook(
            Instant.now(),
            RequestSigner.randomNonce(),
            "https://foreign.example/api/hooks/extensions/kvstore");
    RequestSigner signer = RequestSigner.of(WEBHOOK_SECRET);

    int first = post(hookUrl, once, signer.sign(once)).statusCode();
    int again = post(hookUrl, once, signer.sign(once)).statusCode();
    int elsewhere = post(hookUrl, foreign, signer.sign(foreign)).statusCode();

    assertThat(first).isEqualTo(200);
    assertThat(again).isEqualTo(401);
    assertThat(elsewhere).isEqualTo(401);
    assertThat(fly.refusedWebhooks()).containsExactly("replayed_nonce", "wrong_url");
  }

  @Test
  void answersInjectedFailuresThenRecovers() throws Exception {
    fly.failNextWebhooks(1, 503, "2");
    byte[] body = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);
    String signature = RequestSigner.of(WEBHOOK_SECRET).sign(body);

    HttpResponse<String> failed = post(hookUrl, body, signature);
    HttpResponse<String> delivered = post(hookUrl, body, signature);

    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.headers().firstValue("Retry-After")).contains("2");
    assertThat(delivered.statusCode()).isEqualTo(200);
    assertThat(fly.webhooks()).hasSize(1);
  }

  @Test
  void delaysAnswersOnDemand() throws Exception {
    fly.delayWebhooks(Duration.ofMillis(300));
    byte[] body = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);

    long started = System.nanoTime();
    int status = post(hookUrl, body, RequestSigner.of(WEBHOOK_SECRET).sign(body)).statusCode();

    assertThat(status).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(290));
  }

  @Test
  void waitingForAWebhookThatNeverComesTimesOutSayingWhatArrived() throws Exception {
    byte[] body = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);
    post(hookUrl, body, "0".repeat(64));

    assertThatThrownBy(() -> fly.awaitWebhook(w -> true, Duration.ofMillis(200)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("received 0")
        .hasMessageContaining("signature_mismatch");
  }

  @Test
  void answers404ForAnotherProvidersPath() throws Exception {
    byte[] body = webhook(Instant.now(), RequestSigner.randomNonce(), hookUrl);

    int status =
        post(
                fly.url() + "/api/hooks/extensions/someone-else",
                body,
                RequestSigner.of(WEBHOOK_SECRET).sign(body))
            .statusCode();

    assertThat(status).isEqualTo(404);
    assertThat(fly.webhooks()).isEmpty();
  }

  private static byte[] webhook(Instant timestamp, String nonce, String url) {
    Resource resource = Resource.builder("ext_1", ResourceStatus.READY).name("kv-1").build();
    return LifecycleWebhook.of(WebhookAction.UPDATED, resource, timestamp, nonce, url).toJson();
  }

  private static HttpResponse<String> post(String url, byte[] body, @Nullable String signature)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header("X-Signature", signature);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
