package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flyext.internal.QueryStrings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlyApiClientTest {
  private static final String WEBHOOK_SECRET = "hook-secret-1";
  private static final String CLIENT_SECRET = "oauth-client-secret-xyz";
  private static final Instant NOW = Instant.ofEpochSecond(1_764_800_200L);
  private static final RetryPolicy FAST =
      new RetryPolicy(4, Duration.ofMillis(10), Duration.ofSeconds(2));

  private final MockWebServer server = new MockWebServer();
  private FlyApiClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client = clientBuilder().build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private FlyApiClient.Builder clientBuilder() {
    return FlyApiClient.builder()
        .apiUrl(server.url("/").toString())
        .providerName("kvstore")
        .webhookSecret(WEBHOOK_SECRET)
        .oauthClient("client-123", CLIENT_SECRET)
        .redirectUri("https://kv.example.com/flyio/oauth/callback")
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .blockingRetry(FAST)
        .queuedRetry(FAST);
  }

  private static Resource ready(String id) {
    return Resource.builder(id, ResourceStatus.READY).plan("starter").build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("{}").build();
  }

  @Test
  void signsWebhookOverTheExactBytesSent() throws Exception {
    server.enqueue(status(200));

    WebhookDelivery delivery = client.sendWebhook(WebhookAction.UPDATED, ready("ext_7hq2m"));

    RecordedRequest request = server.takeRequest();
    byte[] body = request.getBody().toByteArray();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/hooks/extensions/kvstore");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(request.getHeaders().get("X-Signature"))
        .isEqualTo(RequestSigner.of(WEBHOOK_SECRET).sign(body));
    LifecycleWebhook sent = LifecycleWebhook.parse(body);
    assertThat(sent.action()).isEqualTo(WebhookAction.UPDATED);
    assertThat(sent.resource().id()).isEqualTo("ext_7hq2m");
    assertThat(sent.resource().plan()).isEqualTo("starter");
    assertThat(sent.timestamp()).isEqualTo(NOW);
    assertThat(sent.nonce()).hasSize(32);
    assertThat(sent.url()).isEqualTo(server.url("/api/hooks/extensions/kvstore").toString());
    assertThat(new String(body, StandardCharsets.UTF_8))
        .startsWith("{\"timestamp\":\"1764800200\"");
    assertThat(delivery.attempts()).isEqualTo(1);
  }

  @Test
  void retriesThrough503sAndHonoursRetryAfter() throws Exception {
    server.enqueue(status(503));
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "1").build());
    server.enqueue(status(202));

    long started = System.nanoTime();
    WebhookDelivery delivery = client.sendWebhook(WebhookAction.CREATED, ready("ext_1"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertThat(delivery.attempts()).isEqualTo(3);
    assertThat(delivery.status()).isEqualTo(202);
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    java.util.Set<String> nonces = new java.util.HashSet<>();
    for (int i = 0; i < 3; i++) {
      RecordedRequest attempt = server.takeRequest();
      byte[] body = attempt.getBody().toByteArray();
      assertThat(attempt.getHeaders().get("X-Signature"))
          .isEqualTo(RequestSigner.of(WEBHOOK_SECRET).sign(body));
      LifecycleWebhook sent = LifecycleWebhook.parse(body);
      assertThat(sent.resource()).isEqualTo(ready("ext_1"));
      nonces.add(sent.nonce());
    }
    assertThat(nonces).as("each attempt is stamped afresh").hasSize(3);
  }

  @Test
  void retries429() throws Exception {
    server.enqueue(status(429));
    server.enqueue(status(200));

    WebhookDelivery delivery = client.sendWebhook(WebhookAction.UPDATED, ready("ext_1"));

    assertThat(delivery.attempts()).isEqualTo(2);
  }

  @Test
  void doesNotRetryA400AndReportsStatusAndExcerpt() {
    server.enqueue(
        new MockResponse.Builder()
            .code(400)
            .addHeader("Content-Type", "application/json")
            .body("{\"error\":\"resource unknown\"}")
            .build());

    assertThatThrownBy(() -> client.sendWebhook(WebhookAction.UPDATED, ready("ext_1")))
        .isInstanceOfSatisfying(
            FlyApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.retryable()).isFalse();
              assertThat(e.bodyExcerpt()).contains("resource unknown");
              assertThat(e.getMessage()).doesNotContain(WEBHOOK_SECRET);
            });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void retriesAConnectionDroppedMidRequest() throws Exception {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(status(200));

    WebhookDelivery delivery = client.sendWebhook(WebhookAction.DELETED, ready("ext_1"));

    assertThat(delivery.attempts()).isEqualTo(2);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheLastStatus() {
    for (int i = 0; i < FAST.maxAttempts(); i++) {
      server.enqueue(status(502));
    }

    assertThatThrownBy(() -> client.sendWebhook(WebhookAction.UPDATED, ready("ext_1")))
        .isInstanceOfSatisfying(
            FlyApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.retryable()).isTrue();
            });
    assertThat(server.getRequestCount()).isEqualTo(FAST.maxAttempts());
  }

  @Test
  void reusesOneConnectionSoNoResponseIsLeaked() throws Exception {
    OkHttpClient shared = new OkHttpClient();
    try (FlyApiClient sharing = clientBuilder().httpClient(shared).build()) {
      for (int i = 0; i < 5; i++) {
        server.enqueue(i % 2 == 0 ? status(200) : status(400));
      }

      for (int i = 0; i < 5; i++) {
        try {
          sharing.sendWebhook(WebhookAction.UPDATED, ready("ext_" + i));
        } catch (FlyApiException expected) {
          assertThat(expected.status()).isEqualTo(400);
        }
      }

      List<Integer> connections = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        connections.add(server.takeRequest().getConnectionIndex());
      }
      assertThat(connections).containsOnly(connections.get(0));
      assertThat(shared.connectionPool().connectionCount()).isEqualTo(1);
    }
    assertThat(shared.dispatcher().executorService().isShutdown()).isFalse();
    shared.connectionPool().evictAll();
  }

  @Test
  void queuedWebhooksKeepTheirOrderPerResource() throws Exception {
    List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    server.setDispatcher(
        new Dispatcher() {
          private int failuresLeft = 2;

          @Override
          public synchronized MockResponse dispatch(RecordedRequest request) {
            LifecycleWebhook webhook = LifecycleWebhook.parse(request.getBody().toByteArray());
            String label = webhook.resource().id() + ":" + webhook.resource().plan();
            if (label.equals("ext_a:one") && failuresLeft-- > 0) {
              return status(503);
            }
            delivered.add(label);
            return status(200);
          }
        });

    CompletableFuture<WebhookDelivery> a1 =
        client.enqueueWebhook(WebhookAction.UPDATED, plan("ext_a", "one"));
    CompletableFuture<WebhookDelivery> a2 =
        client.enqueueWebhook(WebhookAction.UPDATED, plan("ext_a", "two"));
    CompletableFuture<WebhookDelivery> b1 =
        client.enqueueWebhook(WebhookAction.UPDATED, plan("ext_b", "one"));
    CompletableFuture.allOf(a1, a2, b1).get(10, TimeUnit.SECONDS);

    assertThat(a1.get().attempts()).isEqualTo(3);
    assertThat(delivered).containsSubsequence("ext_a:one", "ext_a:two");
    assertThat(delivered).containsExactlyInAnyOrder("ext_a:one", "ext_a:two", "ext_b:one");
    assertThat(client.queuedWebhooks()).isZero();
  }

  private static Resource plan(String id, String plan) {
    return Resource.builder(id, ResourceStatus.READY).plan(plan).build();
  }

  @Test
  void aFullOutboxReportsInsteadOfDropping() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            release.await(10, TimeUnit.SECONDS);
            return status(200);
          }
        });
    try (FlyApiClient small = clientBuilder().outbox(InMemoryWebhookOutbox.create(1)).build()) {
      CompletableFuture<WebhookDelivery> first =
          small.enqueueWebhook(WebhookAction.UPDATED, ready("ext_1"));

      assertThatThrownBy(() -> small.enqueueWebhook(WebhookAction.UPDATED, ready("ext_2")))
          .isInstanceOf(WebhookQueueFullException.class)
          .hasMessageContaining("ext_2");

      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  void shutdownReportsWhatWasNotDelivered() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(503).addHeader("Retry-After", "60").build();
          }
        });
    InMemoryWebhookOutbox outbox = InMemoryWebhookOutbox.create();
    FlyApiClient patient = clientBuilder().outbox(outbox).build();
    CompletableFuture<WebhookDelivery> future =
        patient.enqueueWebhook(WebhookAction.UPDATED, ready("ext_9"));

    List<PendingWebhook> left = patient.shutdown(Duration.ofMillis(300));

    assertThat(left).extracting(PendingWebhook::resourceId).containsExactly("ext_9");
    assertThat(outbox.pending()).hasSize(1);
    assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> patient.enqueueWebhook(WebhookAction.UPDATED, ready("ext_9")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shutdownStopsInTimeAndReportsExactlyWhatWasNotDelivered() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).build();
          }
        });
    InMemoryWebhookOutbox outbox = InMemoryWebhookOutbox.create();
    FlyApiClient slow = clientBuilder().outbox(outbox).build();
    List<CompletableFuture<WebhookDelivery>> futures = new ArrayList<>();
    for (String id : List.of("q1", "q2", "q3")) {
      futures.add(slow.enqueueWebhook(WebhookAction.UPDATED, ready(id)));
    }

    long started = System.nanoTime();
    List<PendingWebhook> left = slow.shutdown(Duration.ofMillis(100));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(Duration.ofMillis(1800));
    assertThat(left).hasSize(3);
    assertThat(outbox.pending()).containsExactlyElementsOf(left);
    for (CompletableFuture<WebhookDelivery> future : futures) {
      assertThat(future).isCompletedExceptionally();
    }
  }

  @Test
  void resendsWhatADurableOutboxKept() throws Exception {
    server.enqueue(status(200));
    InMemoryWebhookOutbox outbox = InMemoryWebhookOutbox.create();
    PendingWebhook kept = client.prepare(WebhookAction.DELETED, ready("ext_old"));
    outbox.offer(kept);

    try (FlyApiClient restarted = clientBuilder().outbox(outbox).build()) {
      RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(restarted.webhookUrl()).endsWith("/api/hooks/extensions/kvstore");

      assertThat(request).isNotNull();
      byte[] body = request.getBody().toByteArray();
      assertThat(LifecycleWebhook.parse(body).resource()).isEqualTo(kept.resource());
      assertThat(request.getHeaders().get("X-Signature"))
          .isEqualTo(RequestSigner.of(WEBHOOK_SECRET).sign(body));
    }
    assertThat(outbox.pending()).isEmpty();
  }

  @Test
  void buildsTheAuthorizeUrl() {
    URI url = client.authorizeUrl("st4te");

    Map<String, String> query = QueryStrings.parse(url.getRawQuery());
    assertThat(url.getPath()).isEqualTo("/oauth/authorize");
    assertThat(query)
        .containsEntry("client_id", "client-123")
        .containsEntry("response_type", "code")
        .containsEntry("redirect_uri", "https://kv.example.com/flyio/oauth/callback")
        .containsEntry("scope", "read")
        .containsEntry("state", "st4te");
  }

  @Test
  void exchangesACodeWithTheSecretInTheFormBody() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":7200,"
                + "\"refresh_token\":\"rt-1\",\"scope\":\"read\",\"created_at\":1764800000}"));

    OAuthTokenResponse token = client.exchangeCode("code-42");

    RecordedRequest request = server.takeRequest();
    Map<String, String> form = QueryStrings.parse(request.getBody().utf8());
    assertThat(request.getUrl().encodedPath()).isEqualTo("/oauth/token");
    assertThat(request.getHeaders().get("Content-Type"))
        .startsWith("application/x-www-form-urlencoded");
    assertThat(request.getHeaders().get("Authorization")).isNull();
    assertThat(form)
        .containsEntry("grant_type", "authorization_code")
        .containsEntry("code", "code-42")
        .containsEntry("redirect_uri", "https://kv.example.com/flyio/oauth/callback")
        .containsEntry("client_id", "client-123")
        .containsEntry("client_secret", CLIENT_SECRET);
    assertThat(token.accessToken()).isEqualTo("at-1");
    assertThat(token.expiresIn()).isEqualTo(Duration.ofHours(2));
    assertThat(token.createdAt()).isEqualTo(Instant.ofEpochSecond(1_764_800_000L));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anOAuthErrorIsTyped() {
    server.enqueue(
        json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"code already used\"}"));

    assertThatThrownBy(() -> client.exchangeCode("used"))
        .isInstanceOfSatisfying(
            OAuthException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("invalid_grant");
              assertThat(e.description()).isEqualTo("code already used");
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("troubleshooting.md#oauth");
            });
  }

  @Test
  void anHtmlAnswerFromTheTokenEndpointIsAClearError() {
    server.enqueue(
        new MockResponse.Builder()
            .code(502)
            .addHeader("Content-Type", "text/html")
            .body("<html><body>Bad gateway</body></html>")
            .build());

    assertThatThrownBy(() -> client.exchangeCode("c"))
        .isInstanceOfSatisfying(
            FlyApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.contentType()).isEqualTo("text/html");
              assertThat(e.bodyExcerpt()).contains("Bad gateway");
              assertThat(e.getMessage()).contains("text/html").doesNotContain(CLIENT_SECRET);
            });
  }

  @Test
  void garbageJsonFromTheTokenEndpointIsAClearError() {
    server.enqueue(json(200, "{\"hello\":\"world\"}"));

    assertThatThrownBy(() -> client.exchangeCode("c"))
        .isInstanceOf(FlyApiException.class)
        .hasMessageContaining("not a token response");
  }

  @Test
  void fetchesTokenInfoWithTheBearerToken() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"resource_owner_id\":\"u1\",\"user_id\":\"u1\",\"user_name\":\"Ada\","
                + "\"email\":\"ada@example.com\",\"organizations\":[{\"id\":\"OrgA\",\"role\":"
                + "\"admin\"},{\"id\":\"OrgB\",\"role\":\"member\"}],\"scope\":[\"read\"],"
                + "\"expires_in\":7100,\"application\":{\"uid\":\"client-123\"},"
                + "\"created_at\":1764800000}"));

    TokenInfo info = client.tokenInfo("at-1");

    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/oauth/token/info");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer at-1");
    assertThat(info.userId()).isEqualTo("u1");
    assertThat(info.membership("OrgA")).map(OrganizationMembership::isAdmin).contains(true);
    assertThat(info.membership("OrgB")).map(OrganizationMembership::role).contains("member");
    assertThat(info.applicationUid()).isEqualTo("client-123");
  }

  @Test
  void aRefusedTokenIsAClearError() {
    server.enqueue(json(401, "{\"error\":\"invalid_token\"}"));

    assertThatThrownBy(() -> client.tokenInfo("expired"))
        .isInstanceOfSatisfying(FlyApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .build();
  }
}
