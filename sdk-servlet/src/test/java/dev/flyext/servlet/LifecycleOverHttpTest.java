package dev.flyext.servlet;

import static dev.flyext.servlet.FlyClient.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyext.MachineEvent;
import dev.flyext.SignatureException;
import dev.flyext.UpdateRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fly's calls, one after another, through the container and the servlet to the handler and back.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class LifecycleOverHttpTest {
  @RegisterExtension final ProviderServers servers;

  LifecycleOverHttpTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  private ProviderServer server;
  private FlyClient fly;
  private RecordingHandler handler;

  @BeforeEach
  void startServer() {
    server = servers.start(ProviderServer.atFlyio());
    fly = server.fly();
    handler = server.handler();
  }

  @Test
  void servesTheWholeLifecycleOfOneExtension() {
    Reply provisioned = fly.provision("ext_life");
    Reply status = fly.get("/extensions/ext_life");
    Reply updated = fly.patch("/extensions/ext_life", object().put("name", "kv-renamed"));
    Reply event = cloudEvent("evt-life", "io.fly.machine.started");
    Reply billing = fly.get("/billing", Map.of("from", "2026-11-01", "to", "2026-11-30"));
    Reply deleted = fly.delete("/extensions/ext_life");
    Reply deletedAgain = fly.delete("/extensions/ext_life");
    Reply afterDelete = fly.get("/extensions/ext_life");

    assertThat(
            List.of(provisioned, status, updated, event, billing, deleted, deletedAgain).stream()
                .map(Reply::status))
        .containsOnly(200);
    assertThat(provisioned.json().get("id").asText()).isEqualTo("ext_life");
    assertThat(provisioned.json().at("/config/KV_URL").asText())
        .isEqualTo("redis://kv.internal/ext_life");
    assertThat(status.json().get("status").asText()).isEqualTo("ready");
    assertThat(updated.json().get("name").asText()).isEqualTo("kv-renamed");
    assertThat(event.json().get("duplicate").asBoolean()).isFalse();
    assertThat(billing.json().at("/records/0/extension_id").asText()).isEqualTo("ext_life");
    assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
    assertThat(deletedAgain.json().get("deleted").asBoolean()).isTrue();
    Answers.assertJsonError(afterDelete, 404);
    assertThat(
            List.of(
                handler.provisions.get(),
                handler.gets.get(),
                handler.updates.get(),
                handler.events.get(),
                handler.billings.get(),
                handler.deletes.get()))
        .containsOnly(1);
  }

  @Test
  void answersEveryRouteAsJsonInUtf8() {
    Reply provisioned = fly.provision("ext_json");
    Reply status = fly.get("/extensions/ext_json");
    Reply deleted = fly.delete("/extensions/ext_json");

    for (Reply reply : List.of(provisioned, status, deleted)) {
      Answers.assertJsonContentType(reply);
      assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
      assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
  }

  @Test
  void passesTheProvisioningFieldsToTheHandler() {
    Reply reply = fly.provision("ext_fields");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(handler.provisionRequests)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.id()).isEqualTo("ext_fields");
              assertThat(request.organizationName()).isEqualTo("Acme Rockets");
              assertThat(request.readRegions()).containsExactly("cdg", "fra");
              assertThat(request.url()).isEqualTo(server.publicUrl("/extensions"));
            });
  }

  @Test
  void tellsAnAbsentFieldFromANullOneInAnUpdate() {
    fly.provision("ext_patch");

    Reply reply =
        fly.patch(
            "/extensions/ext_patch",
            object().putNull("primary_region").set("read_regions", readRegions("sin")));

    assertThat(reply.status()).isEqualTo(200);
    UpdateRequest update = handler.updateRequests.get(0);
    assertThat(update.extensionId()).isEqualTo("ext_patch");
    assertThat(update.name().isAbsent()).isTrue();
    assertThat(update.organizationName().isAbsent()).isTrue();
    assertThat(update.primaryRegion().isNull()).isTrue();
    assertThat(update.readRegions().value()).containsExactly("sin");
    assertThat(reply.json().get("name").asText()).isEqualTo("kv-ext_patch");
    assertThat(reply.json().has("primary_region")).isFalse();
  }

  @Test
  void answersAnUpdateOfAnUnknownExtensionWith404() {
    Reply reply = fly.patch("/extensions/ext_nobody", object().put("name", "kv-ghost"));

    Answers.assertJsonError(reply, 404);
    assertThat(handler.updates.get()).isEqualTo(1);
  }

  @Test
  void deliversACloudEventInBinaryMode() {
    Reply reply = cloudEvent("evt-ce-1", "io.fly.machine.starting");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("id").asText()).isEqualTo("evt-ce-1");
    MachineEvent event = handler.machineEvents.get(0);
    assertThat(event.format()).isEqualTo(MachineEvent.Format.CLOUD_EVENT);
    assertThat(event.id()).isEqualTo("evt-ce-1");
    assertThat(event.type()).isEqualTo("io.fly.machine.starting");
    assertThat(event.source()).isEqualTo("/apps/kv-prod/machines/148e");
    assertThat(event.time()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    assertThat(event.machineId()).isEqualTo("148e");
    assertThat(event.status()).isEqualTo("starting");
    assertThat(event.data().path("region").asText()).isEqualTo("ams");
  }

  @Test
  void deliversALegacyEventFromItsBody() {
    byte[] body =
        FlyClient.bytes(
            object()
                .put("id", "evt-legacy-1")
                .put("machine_id", "9080")
                .put("type", "io.fly.machine.stopped")
                .put("timestamp", server.clock().instant().getEpochSecond())
                .put("status", "stopped")
                .set("data", object().put("exit_code", 0)));

    Reply reply = fly.request("POST", "/extensions/events").json(body).signed().send();

    assertThat(reply.status()).isEqualTo(200);
    MachineEvent event = handler.machineEvents.get(0);
    assertThat(event.format()).isEqualTo(MachineEvent.Format.LEGACY);
    assertThat(event.id()).isEqualTo("evt-legacy-1");
    assertThat(event.type()).isEqualTo("io.fly.machine.stopped");
    assertThat(event.machineId()).isEqualTo("9080");
    assertThat(event.time()).isEqualTo(server.clock().instant());
    assertThat(event.source()).isNull();
    assertThat(event.data().path("exit_code").asInt(-1)).isEqualTo(0);
  }

  @Test
  void dropsAMachineEventItHasSeen() {
    Reply first = cloudEvent("evt-twice", "io.fly.machine.starting");
    Reply second = cloudEvent("evt-twice", "io.fly.machine.starting");

    assertThat(first.json().get("duplicate").asBoolean()).isFalse();
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("duplicate").asBoolean()).isTrue();
    assertThat(handler.events.get()).isEqualTo(1);
  }

  @Test
  void refusesAnUnsignedMachineEventByDefault() {
    Reply reply =
        fly.request("POST", "/extensions/events")
            .json(machineBody())
            .header("ce-id", "evt-unsigned")
            .header("ce-type", "io.fly.machine.starting")
            .send();

    Answers.assertRefused(reply, SignatureException.Reason.MISSING_SIGNATURE);
    assertThat(handler.events.get()).isZero();
  }

  @Test
  void answersBillingForTheSignedPeriod() {
    fly.provision("ext_bill");

    Reply reply = fly.get("/billing", Map.of("from", "2026-12-01", "to", "2026-12-03"));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.get("from").asText()).isEqualTo("2026-12-01");
    assertThat(json.get("to").asText()).isEqualTo("2026-12-03");
    assertThat(json.get("records")).hasSize(1);
    JsonNode record = json.at("/records/0");
    assertThat(record.get("extension_id").asText()).isEqualTo("ext_bill");
    assertThat(record.get("date").asText()).isEqualTo("2026-12-01");
    assertThat(record.get("amount").asLong()).isEqualTo(125);
    assertThat(record.get("currency").asText()).isEqualTo("USD");
  }

  @Test
  void passesExtraQueryParametersOfAStatusCallToTheHandler() {
    fly.provision("ext_query");

    Reply reply = fly.get("/extensions/ext_query", Map.of("organization_id", "OrgA1b2C3"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(handler.resourceRequests.get(0).parameter("organization_id")).isEqualTo("OrgA1b2C3");
    assertThat(handler.resourceRequests.get(0).timestamp()).isEqualTo(server.clock().instant());
  }

  @Test
  void keepsAnEncodedIdEncodedForTheUrlCheckAndDecodedForTheHandler() {
    fly.provision("ext:ü");

    Reply status = fly.get("/extensions/ext%3A%C3%BC");

    assertThat(status.status()).as("%s", status).isEqualTo(200);
    assertThat(status.json().get("id").asText()).isEqualTo("ext:ü");
    assertThat(handler.resourceRequests.get(0).extensionId()).isEqualTo("ext:ü");
    assertThat(handler.resourceRequests.get(0).parameter("url"))
        .isEqualTo(server.publicUrl("/extensions/ext%3A%C3%BC"));
  }

  private Reply cloudEvent(String id, String type) {
    return fly.request("POST", "/extensions/events")
        .json(machineBody())
        .header("ce-id", id)
        .header("ce-type", type)
        .header("ce-source", "/apps/kv-prod/machines/148e")
        .header("ce-time", "2026-12-01T10:00:00Z")
        .header("ce-specversion", "1.0")
        .signed()
        .send();
  }

  private static byte[] machineBody() {
    return "{\"machine_id\":\"148e\",\"status\":\"starting\",\"data\":{\"region\":\"ams\"}}"
        .getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode readRegions(String... regions) {
    var array = object().arrayNode();
    for (String region : regions) {
      array.add(region);
    }
    return array;
  }
}
