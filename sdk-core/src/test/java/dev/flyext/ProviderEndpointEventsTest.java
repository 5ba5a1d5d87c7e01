package dev.flyext;

import static dev.flyext.Fly.json;
import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Machine events from Fly (route F), in both documented shapes. */
class ProviderEndpointEventsTest {
  private static final String PATH = "/extensions/events";

  private final MutableClock clock = MutableClock.at(PROVISION_TIME);
  private final RecordingHandler handler = new RecordingHandler();
  private final Fly fly = new Fly(clock);

  private ProviderEndpoint endpoint(boolean requireSignedEvents) {
    return ProviderEndpoint.builder()
        .handler(handler)
        .provisioningSecret(PROVISIONING_SECRET)
        .publicBaseUrl(PUBLIC_BASE_URL)
        .clock(clock)
        .requireSignedEvents(requireSignedEvents)
        .build();
  }

  private static byte[] legacyEvent(String id) {
    return utf8(
        "{\"id\":\""
            + id
            + "\",\"machine_id\":\"148ed193b95089\",\"type\":\"io.fly.machine.started\","
            + "\"timestamp\":"
            + PROVISION_TIME.getEpochSecond()
            + ",\"status\":\"started\",\"data\":{\"region\":\"ams\",\"exit_code\":0}}");
  }

  private static final byte[] CLOUD_EVENT_BODY =
      utf8("{\"machine_id\":\"e784079b449483\",\"status\":\"starting\",\"data\":{\"attempt\":2}}");

  private static final Map<String, String> CLOUD_EVENT_HEADERS =
      Map.of(
          "ce-id", "ce-0001",
          "ce-type", "io.fly.machine.starting",
          "ce-source", "/apps/kv-provider/machines/e784079b449483",
          "ce-time", "2025-12-03T22:13:20Z",
          "ce-specversion", "1.0");

  @Test
  void deliversALegacyEventWithItsFields() {
    ProviderEndpoint endpoint = endpoint(true);

    ProviderResponse response = endpoint.handle(fly.signedBody("POST", PATH, legacyEvent("evt_1")));

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).get("duplicate").booleanValue()).isFalse();
    MachineEvent event = handler.events.get(0);
    assertThat(event.format()).isEqualTo(MachineEvent.Format.LEGACY);
    assertThat(event.id()).isEqualTo("evt_1");
    assertThat(event.type()).isEqualTo("io.fly.machine.started");
    assertThat(event.machineId()).isEqualTo("148ed193b95089");
    assertThat(event.status()).isEqualTo("started");
    assertThat(event.time()).isEqualTo(PROVISION_TIME);
    assertThat(event.source()).isNull();
    assertThat(event.data().get("region").textValue()).isEqualTo("ams");
  }

  @Test
  void deliversACloudEventWithItsFields() {
    ProviderEndpoint endpoint = endpoint(true);

    ProviderResponse response =
        endpoint.handle(fly.signedBody("POST", PATH, CLOUD_EVENT_BODY, CLOUD_EVENT_HEADERS));

    assertThat(response.status()).isEqualTo(200);
    MachineEvent event = handler.events.get(0);
    assertThat(event.format()).isEqualTo(MachineEvent.Format.CLOUD_EVENT);
    assertThat(event.id()).isEqualTo("ce-0001");
    assertThat(event.type()).isEqualTo("io.fly.machine.starting");
    assertThat(event.source()).isEqualTo("/apps/kv-provider/machines/e784079b449483");
    assertThat(event.time()).isEqualTo(Instant.parse("2025-12-03T22:13:20Z"));
    assertThat(event.machineId()).isEqualTo("e784079b449483");
    assertThat(event.status()).isEqualTo("starting");
    assertThat(event.data().get("attempt").intValue()).isEqualTo(2);
  }

  @Test
  void deliversAnEventIdOnlyOnce() {
    ProviderEndpoint endpoint = endpoint(true);
    endpoint.handle(fly.signedBody("POST", PATH, legacyEvent("evt_1")));

    ProviderResponse again = endpoint.handle(fly.signedBody("POST", PATH, legacyEvent("evt_1")));

    assertThat(again.status()).isEqualTo(200);
    assertThat(json(again).get("duplicate").booleanValue()).isTrue();
    assertThat(handler.events).hasSize(1);
  }

  @Test
  void deliversACloudEventIdOnlyOnce() {
    ProviderEndpoint endpoint = endpoint(true);
    endpoint.handle(fly.signedBody("POST", PATH, CLOUD_EVENT_BODY, CLOUD_EVENT_HEADERS));

    ProviderResponse again =
        endpoint.handle(fly.signedBody("POST", PATH, CLOUD_EVENT_BODY, CLOUD_EVENT_HEADERS));

    assertThat(json(again).get("duplicate").booleanValue()).isTrue();
    assertThat(handler.events).hasSize(1);
  }

  @Test
  void redeliversAnEventWhoseHandlerFailed() {
    ProviderEndpoint endpoint = endpoint(true);
    AtomicInteger attempts = new AtomicInteger();
    handler.onEvent =
        event -> {
          if (attempts.incrementAndGet() == 1) {
            throw new IllegalStateException("queue unavailable");
          }
        };
    ProviderResponse failed = endpoint.handle(fly.signedBody("POST", PATH, legacyEvent("evt_1")));

    ProviderResponse retried = endpoint.handle(fly.signedBody("POST", PATH, legacyEvent("evt_1")));

    assertThat(failed.status()).isEqualTo(500);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(json(retried).get("duplicate").booleanValue()).isFalse();
    assertThat(handler.events).hasSize(1);
  }

  @Test
  void refusesAnUnsignedEventByDefault() {
    ProviderEndpoint endpoint = endpoint(true);

    ProviderResponse response =
        endpoint.handle(fly.unsignedBody("POST", PATH, legacyEvent("evt_1"), Map.of()));

    assertThat(response.status()).isEqualTo(401);
    assertThat(json(response).get("reason").textValue()).isEqualTo("missing_signature");
    assertThat(handler.events).isEmpty();
  }

  @Test
  void acceptsAnUnsignedEventWhenSignaturesAreOptional() {
    ProviderEndpoint endpoint = endpoint(false);

    ProviderResponse response =
        endpoint.handle(fly.unsignedBody("POST", PATH, CLOUD_EVENT_BODY, CLOUD_EVENT_HEADERS));

    assertThat(response.status()).isEqualTo(200);
    assertThat(handler.events).extracting(MachineEvent::id).containsExactly("ce-0001");
  }

  @Test
  void stillVerifiesASignedEventWhenSignaturesAreOptional() {
    ProviderEndpoint endpoint = endpoint(false);
    ProviderRequest request =
        ProviderRequest.builder("POST", PATH)
            .headers(Map.of("X-Signature", List.of("0".repeat(64))))
            .body(legacyEvent("evt_1"))
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(401);
    assertThat(json(response).get("reason").textValue()).isEqualTo("signature_mismatch");
    assertThat(handler.events).isEmpty();
  }

  @Test
  void refusesACloudEventWithoutType() {
    ProviderEndpoint endpoint = endpoint(true);
    Map<String, String> headers = Map.of("ce-id", "ce-0002");

    ProviderResponse response =
        endpoint.handle(fly.signedBody("POST", PATH, CLOUD_EVENT_BODY, headers));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue()).contains("ce-type");
  }

  @Test
  void refusesALegacyEventWithoutId() {
    ProviderEndpoint endpoint = endpoint(true);
    byte[] body = utf8("{\"type\":\"io.fly.machine.started\"}");

    ProviderResponse response = endpoint.handle(fly.signedBody("POST", PATH, body));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue()).contains("`id`");
  }

  @Test
  void acceptsASignedEventWhoseTimestampIsNull() {
    ProviderEndpoint endpoint = endpoint(true);
    byte[] body =
        utf8("{\"id\":\"evt_n\",\"type\":\"t\",\"nonce\":\"ev-null\",\"timestamp\":null}");

    ProviderResponse response = endpoint.handle(fly.signedBody("POST", PATH, body));

    assertThat(response.status()).isEqualTo(200);
    assertThat(handler.events).extracting(MachineEvent::id).containsExactly("evt_n");
  }
}
