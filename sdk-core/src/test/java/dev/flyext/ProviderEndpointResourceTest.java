package dev.flyext;

import static dev.flyext.Fly.json;
import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Status, update and delete of one extension (routes B, C and D). */
class ProviderEndpointResourceTest {
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

  @Test
  void answersStatusWithTheHandlersResource() {
    ProviderRequest request =
        fly.signedQuery("GET", "/extensions/ext_1", Map.of("organization_id", "OrgA1b2C3"));

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("id").textValue()).isEqualTo("ext_1");
    assertThat(body.get("status").textValue()).isEqualTo("ready");
    ResourceRequest received = handler.resourceRequests.get(0);
    assertThat(received.extensionId()).isEqualTo("ext_1");
    assertThat(received.parameter("organization_id")).isEqualTo("OrgA1b2C3");
    assertThat(received.timestamp()).isEqualTo(PROVISION_TIME);
  }

  @Test
  void answers404ForAnUnknownResource() {
    handler.onGet = request -> Optional.empty();

    ProviderResponse response = endpoint.handle(fly.signedQuery("GET", "/extensions/ext_x"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(json(response).get("error").textValue()).contains("ext_x");
  }

  @Test
  void refusesAnUnsignedStatusCall() {
    ProviderRequest request =
        ProviderRequest.builder("GET", "/extensions/ext_1")
            .rawQuery(
                RequestSigner.query(PUBLIC_BASE_URL + "/extensions/ext_1", PROVISION_TIME, "n"))
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(401);
    assertThat(handler.gets).hasValue(0);
  }

  @Test
  void refusesAStatusCallSignedForAnotherResource() {
    ProviderRequest signedForOther = fly.signedQuery("GET", "/extensions/ext_other");
    ProviderRequest request =
        ProviderRequest.builder("GET", "/extensions/ext_1")
            .rawQuery(signedForOther.rawQuery())
            .headers(Map.of("X-Signature", signedForOther.headers("X-Signature")))
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(401);
    assertThat(json(response).get("reason").textValue()).isEqualTo("wrong_url");
    assertThat(handler.gets).hasValue(0);
  }

  @Test
  void appliesAnUpdateTellingAbsentFromNull() {
    ProviderRequest request =
        fly.update("ext_1", "\"name\":\"kv-renamed\",\"primary_region\":null");

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).get("name").textValue()).isEqualTo("kv-renamed");
    UpdateRequest update = handler.updated.get(0);
    assertThat(update.extensionId()).isEqualTo("ext_1");
    assertThat(update.primaryRegion().isNull()).isTrue();
    assertThat(update.readRegions().isAbsent()).isTrue();
  }

  @Test
  void answersUpdateOfAnUnknownIdWithTheHandlers404() {
    handler.onUpdate =
        request -> {
          throw ProviderException.notFound("no extension " + request.extensionId());
        };

    ProviderResponse response = endpoint.handle(fly.update("ext_x", ""));

    assertThat(response.status()).isEqualTo(404);
    assertThat(json(response).get("error").textValue()).isEqualTo("no extension ext_x");
  }

  @Test
  void answersSuccessForDeleteOfAnUnknownId() {
    handler.onDelete =
        request -> {
          throw ProviderException.notFound("never heard of it");
        };

    ProviderResponse response = endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_x"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).get("id").textValue()).isEqualTo("ext_x");
    assertThat(json(response).get("deleted").booleanValue()).isTrue();
  }

  @Test
  void deletesOnceWhenFlyRetries() {
    ProviderResponse first = endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_1"));

    ProviderResponse second = endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_1"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(handler.deletes).hasValue(1);
  }

  @Test
  void answers404ForStatusAfterDeleteWithoutAskingTheHandler() {
    endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_1"));

    ProviderResponse response = endpoint.handle(fly.signedQuery("GET", "/extensions/ext_1"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(handler.gets).hasValue(0);
  }

  @Test
  void answers404ForUpdateAfterDeleteWithoutAskingTheHandler() {
    endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_1"));

    ProviderResponse response = endpoint.handle(fly.update("ext_1", "\"name\":\"late\""));

    assertThat(response.status()).isEqualTo(404);
    assertThat(handler.updates).hasValue(0);
  }

  @Test
  void retriesADeleteWhoseHandlerFailed() {
    handler.onDelete =
        request -> {
          throw new IllegalStateException("backend down");
        };
    ProviderResponse failed = endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_1"));
    handler.onDelete = request -> {};

    ProviderResponse retried = endpoint.handle(fly.signedQuery("DELETE", "/extensions/ext_1"));

    assertThat(failed.status()).isEqualTo(500);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(handler.deletes).hasValue(2);
  }

  @Test
  void doesNotMarkDeletedWhenTheDeleteIsUnsigned() {
    ProviderRequest unsigned = ProviderRequest.builder("DELETE", "/extensions/ext_1").build();
    endpoint.handle(unsigned);

    ProviderResponse response = endpoint.handle(fly.signedQuery("GET", "/extensions/ext_1"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(handler.deletes).hasValue(0);
  }
}
