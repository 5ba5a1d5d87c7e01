package dev.flyext;

import static dev.flyext.Fly.json;
import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Odd requests and slow or concurrent handlers, answered without a stray record or a 5xx. */
class ProviderEndpointHardeningTest {
  private final MutableClock clock = MutableClock.at(PROVISION_TIME);
  private final RecordingHandler handler = new RecordingHandler();
  private final Fly fly = new Fly(clock);

  private ProviderEndpoint.Builder endpoint() {
    return ProviderEndpoint.builder()
        .handler(handler)
        .provisioningSecret(PROVISIONING_SECRET)
        .publicBaseUrl(PUBLIC_BASE_URL)
        .clock(clock);
  }

  @Test
  void optionsListsWhatTheRouteAllows() {
    ProviderResponse response =
        endpoint().build().handle(ProviderRequest.builder("OPTIONS", "/extensions/ext_1").build());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("Allow")).containsExactly("GET, PATCH, DELETE, OPTIONS");
    assertThat(json(response).get("allow").textValue()).contains("PATCH");
  }

  @Test
  void aTrailingSlashNamesTheSameRoute() {
    ProviderRequest request = fly.signedBody("POST", "/extensions/", fly.provisionBody("ext_ts"));

    ProviderResponse response = endpoint().build().handle(request);

    assertThat(response.status()).isEqualTo(200);
    assertThat(handler.provisions).hasValue(1);
  }

  @Test
  void aByteOrderMarkIsSignedLikeAnyByteAndSkippedByTheParser() {
    byte[] json = fly.provisionBody("ext_bom");
    byte[] body = new byte[json.length + 3];
    body[0] = (byte) 0xEF;
    body[1] = (byte) 0xBB;
    body[2] = (byte) 0xBF;
    System.arraycopy(json, 0, body, 3, json.length);

    ProviderResponse response =
        endpoint().build().handle(fly.signedBody("POST", "/extensions", body));

    assertThat(response.status()).isEqualTo(200);
    assertThat(handler.provisioned)
        .singleElement()
        .extracting(ProvisionRequest::id)
        .isEqualTo("ext_bom");
  }

  @Test
  void aVeryLongIdIsNoRoute() {
    String id = "x".repeat(257);

    ProviderResponse response =
        endpoint().build().handle(fly.signedQuery("GET", "/extensions/" + id));

    assertThat(response.status()).isEqualTo(404);
    assertThat(handler.gets).hasValue(0);
  }

  @Test
  void refusesACompressedBodyAsSigned() {
    ProviderRequest request =
        fly.signedBody(
            "POST", "/extensions", fly.provisionBody("ext_gz"), Map.of("Content-Encoding", "gzip"));

    ProviderResponse response = endpoint().build().handle(request);

    assertThat(response.status()).isEqualTo(415);
    assertThat(json(response).get("error").textValue()).contains("gzip").contains("uncompressed");
    assertThat(handler.provisions).hasValue(0);
  }

  @Test
  void saysSoWhenAFilterReadTheBodyFirst() {
    byte[] body = fly.provisionBody("ext_eaten");
    ProviderRequest request =
        ProviderRequest.builder("POST", "/extensions")
            .headers(
                Map.of(
                    "Content-Type",
                    List.of("application/json"),
                    RequestSigner.SIGNATURE_HEADER,
                    List.of(fly.sign(body))))
            .body(new ByteArrayInputStream(new byte[0]), body.length)
            .build();

    ProviderResponse response = endpoint().build().handle(request);

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue()).contains("filter");
    assertThat(handler.provisions).hasValue(0);
  }

  @Test
  void aSlowProvisionAnswers503AndItsLateAnswerServesTheRetry() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    handler.onProvision =
        request -> {
          await(release);
          return RecordingHandler.answer(request);
        };
    ProviderEndpoint endpoint = endpoint().handlerTimeout(Duration.ofMillis(200)).build();

    ProviderResponse first = endpoint.handle(fly.provision("ext_slow"));
    release.countDown();
    ProviderResponse retry = endpoint.handle(fly.provision("ext_slow"));

    assertThat(first.status()).isEqualTo(503);
    assertThat(first.headers()).containsKey("Retry-After");
    assertThat(json(first).get("error").textValue()).contains("did not answer");
    assertThat(retry.status()).isEqualTo(200);
    assertThat(json(retry).get("id").textValue()).isEqualTo("ext_slow");
    assertThat(handler.provisions).hasValue(1);
  }

  @Test
  void aProvisionThatFailsLateLeavesNoRecord() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    handler.onProvision =
        request -> {
          if (calls.incrementAndGet() == 1) {
            await(release);
            throw new IllegalStateException("database unreachable");
          }
          return RecordingHandler.answer(request);
        };
    ProviderEndpoint endpoint = endpoint().handlerTimeout(Duration.ofMillis(100)).build();

    ProviderResponse first = endpoint.handle(fly.provision("ext_late"));
    release.countDown();
    ProviderResponse retry = retryUntilDone(endpoint, "ext_late");

    assertThat(first.status()).isEqualTo(503);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(calls).hasValue(2);
  }

  private ProviderResponse retryUntilDone(ProviderEndpoint endpoint, String id)
      throws InterruptedException {
    ProviderResponse response = endpoint.handle(fly.provision(id));
    for (int i = 0; i < 50 && response.status() == 503; i++) {
      Thread.sleep(20);
      response = endpoint.handle(fly.provision(id));
    }
    return response;
  }

  @Test
  void anInvalidResultLeavesNoRecord() {
    AtomicInteger calls = new AtomicInteger();
    handler.onProvision =
        request -> {
          if (calls.incrementAndGet() == 1) {
            return ProvisionResult.builder(request.id()).config("", "x").build();
          }
          return RecordingHandler.answer(request);
        };
    ProviderEndpoint endpoint = endpoint().build();

    ProviderResponse first = endpoint.handle(fly.provision("ext_bad"));
    ProviderResponse retry = endpoint.handle(fly.provision("ext_bad"));

    assertThat(first.status()).isEqualTo(500);
    assertThat(first.bodyText()).doesNotContain("config key");
    assertThat(retry.status()).isEqualTo(200);
  }

  @Test
  void concurrentUpdatesAndDeletesOfOneResourceNeverOverlap() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    Runnable slow =
        () -> {
          if (inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          sleep(5);
          inside.decrementAndGet();
        };
    handler.onUpdate =
        request -> {
          slow.run();
          return Resource.builder(request.extensionId(), ResourceStatus.READY).build();
        };
    handler.onDelete = request -> slow.run();
    ProviderEndpoint endpoint = endpoint().build();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<ProviderResponse>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        boolean delete = i == 39;
        answers.add(
            pool.submit(
                () ->
                    endpoint.handle(
                        delete
                            ? fly.signedQuery("DELETE", "/extensions/ext_c")
                            : fly.update("ext_c", "\"name\":\"n\""))));
      }
      for (Future<ProviderResponse> answer : answers) {
        assertThat(answer.get(10, TimeUnit.SECONDS).status()).isIn(200, 404);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(overlaps).hasValue(0);
    assertThat(handler.deletes).hasValue(1);
  }

  @Test
  void aTimedOutUpdateStillHoldsItsResourceUntilItEnds() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    handler.onUpdate =
        request -> {
          most.accumulateAndGet(inside.incrementAndGet(), Math::max);
          sleep(300);
          inside.decrementAndGet();
          return Resource.builder(request.extensionId(), ResourceStatus.READY).build();
        };
    handler.onDelete = request -> sleep(300);
    ProviderEndpoint endpoint = endpoint().handlerTimeout(Duration.ofMillis(50)).build();

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(endpoint.handle(fly.update("ext_t", "\"name\":\"n\"")).status());
    }
    for (int i = 0; i < 3; i++) {
      statuses.add(endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_t")).status());
    }

    assertThat(statuses).allMatch(status -> status == 503 || status == 200 || status == 409);
    assertThat(most).hasValue(1);
    assertThat(handler.deletes).hasValue(1);
  }

  @Test
  void aDeleteDuringASlowProvisionWaitsAndThenRemovesTheResource() throws Exception {
    CountDownLatch provisioning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    handler.onProvision =
        request -> {
          provisioning.countDown();
          await(release);
          order.add("provisioned");
          return RecordingHandler.answer(request);
        };
    handler.onDelete = request -> order.add("deleted");
    ProviderEndpoint endpoint = endpoint().handlerTimeout(Duration.ofMillis(100)).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<ProviderResponse> provision =
          pool.submit(() -> endpoint.handle(fly.provision("ext_r")));
      provisioning.await(5, TimeUnit.SECONDS);
      Future<ProviderResponse> delete =
          pool.submit(() -> endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_r")));
      Thread.sleep(200);
      release.countDown();

      assertThat(provision.get(10, TimeUnit.SECONDS).status()).isEqualTo(503);
      assertThat(delete.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }

    assertThat(order).containsExactly("provisioned", "deleted");
    assertThat(endpoint.handle(fly.signedQuery("GET", "/extensions/ext_r")).status())
        .isEqualTo(404);
  }

  @Test
  void changesToDifferentResourcesDoNotWaitForEachOther() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    handler.onUpdate =
        request -> {
          await(release);
          return Resource.builder(request.extensionId(), ResourceStatus.READY).build();
        };
    ProviderEndpoint endpoint = endpoint().build();
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      Future<ProviderResponse> slow = pool.submit(() -> endpoint.handle(fly.update("ext_a", "")));
      Thread.sleep(100);

      long started = System.nanoTime();
      ProviderResponse other = endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_b"));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      release.countDown();

      assertThat(other.status()).isEqualTo(200);
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentDeletesReachTheHandlerOnce() throws Exception {
    handler.onDelete = request -> sleep(50);
    ProviderEndpoint endpoint = endpoint().build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ProviderResponse>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> endpoint.handle(fly.signedQuery("DELETE", "/extensions/x"))));
      }
      for (Future<ProviderResponse> answer : answers) {
        assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(handler.deletes).hasValue(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
