package dev.flyext;

import static dev.flyext.Fly.json;
import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_BODY;
import static dev.flyext.Vectors.PROVISION_HMAC;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProviderEndpointProvisionTest {
  private final MutableClock clock = MutableClock.at(PROVISION_TIME);
  private final RecordingHandler handler = new RecordingHandler();
  private final Fly fly = new Fly(clock);
  private final List<RequestOutcome> outcomes = new CopyOnWriteArrayList<>();
  private final ProviderEndpoint endpoint =
      ProviderEndpoint.builder()
          .handler(handler)
          .provisioningSecret(PROVISIONING_SECRET)
          .publicBaseUrl(PUBLIC_BASE_URL)
          .clock(clock)
          .requestListener(outcomes::add)
          .build();

  @Test
  void provisionsTheVectorRequest() {
    ProviderRequest request =
        ProviderRequest.builder("POST", "/extensions")
            .headers(
                Map.of(
                    "x-signature", List.of(PROVISION_HMAC),
                    "content-type", List.of("application/json; charset=utf-8")))
            .body(utf8(PROVISION_BODY))
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("Content-Type"))
        .containsExactly("application/json; charset=utf-8");
    JsonNode body = json(response);
    assertThat(body.get("id").textValue()).isEqualTo("ext_7hq2m");
    assertThat(body.get("config").get("KV_TOKEN").textValue()).isEqualTo("token-for-ext_7hq2m");
    ProvisionRequest received = handler.provisioned.get(0);
    assertThat(received.organizationId()).isEqualTo("OrgA1b2C3");
    assertThat(received.readRegions()).containsExactly("cdg", "fra");
  }

  @Test
  void answersARepeatedProvisionWithTheSameBytesWithoutCallingTheHandlerAgain() {
    ProviderResponse first = endpoint.handle(fly.provision("ext_1"));

    ProviderResponse second = endpoint.handle(fly.provision("ext_1"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(handler.provisions).hasValue(1);
  }

  @Test
  void provisionsDifferentIdsSeparately() {
    ProviderResponse one = endpoint.handle(fly.provision("ext_1"));

    ProviderResponse two = endpoint.handle(fly.provision("ext_2"));

    assertThat(json(one).get("id").textValue()).isEqualTo("ext_1");
    assertThat(json(two).get("id").textValue()).isEqualTo("ext_2");
    assertThat(handler.provisions).hasValue(2);
  }

  @Test
  void callsTheHandlerOnceForManyConcurrentDuplicates() throws Exception {
    int callers = 64;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    handler.onProvision =
        request -> {
          mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
          sleep(100);
          inside.decrementAndGet();
          return RecordingHandler.answer(request);
        };
    List<ProviderRequest> requests = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      requests.add(fly.provision("ext_dup"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch ready = new CountDownLatch(callers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ProviderResponse>> futures = new ArrayList<>();
    for (ProviderRequest request : requests) {
      futures.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return endpoint.handle(request);
              }));
    }

    ready.await();
    go.countDown();
    List<ProviderResponse> responses = new ArrayList<>();
    for (Future<ProviderResponse> future : futures) {
      responses.add(future.get(20, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertThat(handler.provisions).hasValue(1);
    assertThat(mostInside).hasValue(1);
    assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    byte[] expected = responses.get(0).body();
    assertThat(responses).allSatisfy(r -> assertThat(r.body()).isEqualTo(expected));
  }

  @Test
  void leavesNoRecordWhenTheHandlerFails() {
    AtomicInteger attempts = new AtomicInteger();
    handler.onProvision =
        request -> {
          if (attempts.incrementAndGet() == 1) {
            throw new IllegalStateException("backend down");
          }
          return RecordingHandler.answer(request);
        };
    ProviderResponse failed = endpoint.handle(fly.provision("ext_1"));

    ProviderResponse retried = endpoint.handle(fly.provision("ext_1"));

    assertThat(failed.status()).isEqualTo(500);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(json(retried).get("id").textValue()).isEqualTo("ext_1");
    assertThat(handler.provisions).hasValue(2);
  }

  @Test
  void leavesNoRecordWhenTheHandlerRefuses() {
    AtomicInteger attempts = new AtomicInteger();
    handler.onProvision =
        request -> {
          if (attempts.incrementAndGet() == 1) {
            throw ProviderException.unavailable("capacity exhausted in ams; retry soon");
          }
          return RecordingHandler.answer(request);
        };
    ProviderResponse refused = endpoint.handle(fly.provision("ext_1"));

    ProviderResponse retried = endpoint.handle(fly.provision("ext_1"));

    assertThat(refused.status()).isEqualTo(503);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(handler.provisions).hasValue(2);
  }

  @Test
  void hidesTheHandlersExceptionBehindAGenericMessage() {
    handler.onProvision =
        request -> {
          throw new LeakyBackendException("password=hunter2 at db.internal:5432");
        };

    ProviderResponse response = endpoint.handle(fly.provision("ext_1"));

    assertThat(response.status()).isEqualTo(500);
    String error = json(response).get("error").textValue();
    assertThat(error).isNotBlank();
    assertThat(response.bodyText())
        .doesNotContain("hunter2")
        .doesNotContain("db.internal")
        .doesNotContain("LeakyBackendException")
        .doesNotContain("java.");
    assertThat(outcomes).last().satisfies(o -> assertThat(o.reason()).isEqualTo("handler_failed"));
  }

  @Test
  void answersAProviderExceptionWithItsStatusAndMessage() {
    handler.onProvision =
        request -> {
          throw ProviderException.invalidRequest("plan gold is not offered in ams");
        };

    ProviderResponse response = endpoint.handle(fly.provision("ext_1"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue())
        .isEqualTo("plan gold is not offered in ams");
  }

  @Test
  void answersAHandlerReturningNullAs500() {
    handler.onProvision = request -> null;

    ProviderResponse response = endpoint.handle(fly.provision("ext_1"));

    assertThat(response.status()).isEqualTo(500);
    assertThat(endpoint.handle(fly.provision("ext_1")).status()).isEqualTo(500);
    assertThat(handler.provisions).hasValue(2);
  }

  @Test
  void refusesAnUnsignedProvisionWithoutCallingTheHandler() {
    ProviderRequest request =
        ProviderRequest.builder("POST", "/extensions")
            .headers(Map.of("Content-Type", List.of("application/json")))
            .body(fly.provisionBody("ext_1"))
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(401);
    assertThat(json(response).get("reason").textValue()).isEqualTo("missing_signature");
    assertThat(json(response).get("docs").textValue()).endsWith("#missing_signature");
    assertThat(handler.provisions).hasValue(0);
  }

  @Test
  void refusesAReplayedRequestEvenForAKnownId() {
    byte[] body = fly.provisionBody("ext_1");
    ProviderRequest first = fly.signedBody("POST", "/extensions", body);
    ProviderRequest replay = fly.signedBody("POST", "/extensions", body);
    endpoint.handle(first);

    ProviderResponse response = endpoint.handle(replay);

    assertThat(response.status()).isEqualTo(401);
    assertThat(json(response).get("reason").textValue()).isEqualTo("replayed_nonce");
    assertThat(handler.provisions).hasValue(1);
  }

  @Test
  void refusesASignedBodyMissingARequiredFieldNamingIt() {
    byte[] body =
        utf8(
            "{\"name\":\"kv\",\"url\":\"https://kv.example.com/flyio/extensions\","
                + "\"nonce\":\"n-400\",\"timestamp\":"
                + PROVISION_TIME.getEpochSecond()
                + "}");

    ProviderResponse response = endpoint.handle(fly.signedBody("POST", "/extensions", body));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue()).contains("`id`");
    assertThat(handler.provisions).hasValue(0);
  }

  @Test
  void reportsEveryOutcomeToTheListenerWithoutSecrets() {
    endpoint.handle(fly.provision("ext_1"));

    RequestOutcome outcome = outcomes.get(0);

    assertThat(outcome.method()).isEqualTo("POST");
    assertThat(outcome.route()).isEqualTo("/extensions");
    assertThat(outcome.status()).isEqualTo(200);
    assertThat(outcome.toLogLine()).startsWith("POST /extensions 200 ").doesNotContain("token");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final class LeakyBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeakyBackendException(String message) {
      super(message);
    }
  }
}
