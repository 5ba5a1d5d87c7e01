package dev.flyext.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyext.MachineEvent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** The conformance checks themselves, from PROTOCOL sections 2 to 4, 6 and 7. */
final class Checks {
  private static final Set<String> STATUSES = Set.of("ready", "pending", "sleeping", "error");
  private static final Set<Integer> NOT_OFFERED = Set.of(404, 405, 501);
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final String FOREIGN_ORIGIN = "https://foreign.example";
  private static final long POLL_MILLIS = 200;

  private Checks() {}

  static List<ConformanceCheck> all(Conformance.Settings settings) {
    List<ConformanceCheck> checks = new ArrayList<>();
    Adder add =
        (name, description, body) ->
            checks.add(new ConformanceCheck(name, description, settings, body));

    // The lifecycle.
    add.check(
        "provision",
        "a signed provision answers 200 with an id and a config object",
        probe -> probe.provisioned());
    add.check(
        "status",
        "status of a provisioned extension answers 200 with its id, name and a known status",
        Checks::status);
    add.check(
        "update",
        "a signed update answers 200 with the resource, its id and a known status",
        Checks::update);
    add.check(
        "config-values-are-strings",
        "every value in the provisioning answer's config is a string",
        Checks::configValuesAreStrings);
    add.check(
        "repeated-provision-same-answer",
        "provisioning the same Fly id again answers exactly the first answer",
        Checks::repeatedProvision);
    add.check(
        "delete-twice-succeeds",
        "deleting an extension, deleting it again and deleting an unknown id all answer 2xx",
        Checks::deleteTwice);
    add.check(
        "status-after-delete-is-404",
        "status of a deleted extension answers 404",
        Checks::statusAfterDelete);

    // Refusals.
    add.check(
        "refuses-bad-signature",
        "a request whose signature has one hex digit changed is refused with 401",
        refusal("a signature with one digit changed", FlyCall::corruptSignature));
    add.check(
        "refuses-wrong-secret",
        "a request signed with another secret is refused with 401",
        probe ->
            refuse(
                probe,
                "a signature made with another secret",
                call -> call.signWith(probe.settings().wrongSecret())));
    add.check(
        "refuses-missing-signature",
        "a request without X-Signature is refused with 401",
        refusal("no X-Signature header", FlyCall::withoutSignature));
    add.check(
        "refuses-stale-timestamp",
        "a request signed with a timestamp 10 minutes old is refused with 401",
        probe ->
            refuse(
                probe,
                "a timestamp " + Conformance.TIMESTAMP_OFFSET.toMinutes() + " minutes old",
                call -> call.timestamp(now(probe).minus(Conformance.TIMESTAMP_OFFSET))));
    add.check(
        "refuses-future-timestamp",
        "a request signed with a timestamp 10 minutes ahead is refused with 401",
        probe ->
            refuse(
                probe,
                "a timestamp " + Conformance.TIMESTAMP_OFFSET.toMinutes() + " minutes ahead",
                call -> call.timestamp(now(probe).plus(Conformance.TIMESTAMP_OFFSET))));
    add.check(
        "refuses-replayed-nonce",
        "a request sent again byte for byte, nonce included, is refused with 401",
        Checks::replay);
    add.check(
        "refuses-foreign-url",
        "a request whose signed url names another host, or another path, is refused with 401",
        probe -> {
          refuse(
              probe,
              "a signed url on " + FOREIGN_ORIGIN,
              call -> call.url(foreignUrl(probe.fly(), call.routedPath())));
          refuse(
              probe,
              "a signed url naming another path",
              call -> call.url(probe.fly().publicUrl(call.routedPath() + "-elsewhere")));
        });
    add.check(
        "error-answers-are-json",
        "refusals and errors answer with a JSON object and a JSON content type, not HTML",
        Checks::errorsAreJson);

    // Optional parts.
    add.check(
        "machine-event-cloudevents",
        "a signed machine event as a CloudEvent in binary mode answers 2xx, also when resent",
        probe -> machineEvent(probe, MachineEvent.Format.CLOUD_EVENT));
    add.check(
        "machine-event-legacy",
        "a signed machine event in the older all-in-body form answers 2xx, also when resent",
        probe -> machineEvent(probe, MachineEvent.Format.LEGACY));
    add.check(
        "billing",
        "a signed billing fetch answers 200 with a records array (provisional shape)",
        Checks::billing);
    add.check(
        "async-provisioning",
        "a pending extension becomes ready while Fly polls its status",
        Checks::asyncProvisioning);
    add.check(
        "sso-redirects-to-fly",
        "the dashboard route redirects the browser to Fly's /oauth/authorize with every parameter",
        Checks::ssoRedirects);
    return checks;
  }

  @FunctionalInterface
  private interface Adder {
    void check(String name, String description, ConformanceCheck.Body body);
  }

  // The lifecycle.

  private static void status(Probe probe) throws IOException {
    String id = probe.provisioned();

    FlyReply reply = probe.send(probe.fly().status(id));

    JsonNode resource = requireResource(probe, reply, "status", id);
    if (!resource.path("name").isTextual()) {
      throw probe.fail("the status answer has no \"name\" string; Fly shows it to the user");
    }
  }

  private static void update(Probe probe) throws IOException {
    String flyId = probe.newFlyId();
    String name = FlySimulator.provisionFields(flyId).path("name").asText();
    String id = probe.provisioned(probe.fly().provision(flyId));

    FlyReply reply = probe.send(probe.fly().update(id).field("name", name));

    requireResource(probe, reply, "an update that keeps the name", id);
  }

  private static void configValuesAreStrings(Probe probe) throws IOException {
    FlyReply reply = probe.send(probe.fly().provision(probe.newFlyId()));
    probe.requireProvisioned(reply, "a valid provision");

    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : reply.json().get("config").properties()) {
      if (!entry.getValue().isTextual()) {
        wrong.add(entry.getKey() + " is " + typeName(entry.getValue()));
      }
    }
    if (!wrong.isEmpty()) {
      throw probe.fail(
          "config values must be strings, since Fly sets them as the app's secrets and flyctl"
              + " breaks on anything else: "
              + String.join(", ", wrong));
    }
  }

  private static void repeatedProvision(Probe probe) throws IOException {
    String flyId = probe.newFlyId();
    FlyReply first = probe.send(probe.fly().provision(flyId));
    probe.requireProvisioned(first, "the first provision");

    FlyReply second = probe.send(probe.fly().provision(flyId));

    if (!second.isSuccess()) {
      throw probe.fail(
          "the same provision sent again with a new nonce answered "
              + second.status()
              + "; Fly retries, and a repeat must give back the first answer");
    }
    String difference = firstDifference("", first.json(), second.jsonIfAny().orElse(null));
    if (difference != null) {
      throw probe.fail(
          "the repeated provision answered differently ("
              + difference
              + "); a repeat for the same Fly id must give back the first answer and provision"
              + " nothing new");
    }
  }

  private static void deleteTwice(Probe probe) throws IOException {
    String id = probe.provisioned();

    requireSuccess(probe, probe.send(probe.fly().delete(id)), "the first delete");
    requireSuccess(
        probe,
        probe.send(probe.fly().delete(id)),
        "the second delete of the same id (Fly retries deletes)");
    requireSuccess(
        probe,
        probe.send(probe.fly().delete(probe.newFlyId())),
        "a delete of an id the provider never saw");
  }

  private static void statusAfterDelete(Probe probe) throws IOException {
    String id = probe.provisioned();
    requireSuccess(probe, probe.send(probe.fly().delete(id)), "the delete");

    FlyReply reply = probe.send(probe.fly().status(id));

    if (reply.status() != 404) {
      throw probe.fail(
          "status of a deleted extension answered " + reply.status() + "; expected 404");
    }
  }

  // Refusals.

  private static ConformanceCheck.Body refusal(String what, UnaryOperator<FlyCall> spoil) {
    return probe -> refuse(probe, what, spoil);
  }

  /**
   * A provision, a status request, an update and a delete, each spoiled the same way, must all be
   * refused, and the extension must still be there after the refused delete.
   */
  private static void refuse(Probe probe, String what, UnaryOperator<FlyCall> spoil)
      throws IOException {
    String id = probe.provisioned();
    FlySimulator fly = probe.fly();

    requireRefused(
        probe,
        probe.send(spoil.apply(fly.provision(probe.newFlyId()))),
        "a provision with " + what);
    requireRefused(probe, probe.send(spoil.apply(fly.status(id))), "a status request with " + what);
    requireRefused(probe, probe.send(spoil.apply(fly.update(id))), "an update with " + what);
    requireRefused(probe, probe.send(spoil.apply(fly.delete(id))), "a delete with " + what);
    requireSuccess(
        probe, probe.send(fly.status(id)), "a valid status request after the refused delete");
  }

  private static void replay(Probe probe) throws IOException {
    FlySimulator fly = probe.fly();
    FlyCall provision = fly.provision(probe.newFlyId());
    String id = probe.provisioned(provision);

    requireRefused(probe, probe.send(provision), "the same provision sent again byte for byte");

    FlyCall status = fly.status(id);
    requireSuccess(probe, probe.send(status), "a valid status request");
    requireRefused(probe, probe.send(status), "the same status request sent again byte for byte");

    FlyCall update = fly.update(id);
    requireSuccess(probe, probe.send(update), "a valid update");
    requireRefused(probe, probe.send(update), "the same update sent again byte for byte");

    FlyCall delete = fly.delete(id);
    requireSuccess(probe, probe.send(delete), "a valid delete");
    requireRefused(probe, probe.send(delete), "the same delete sent again byte for byte");
  }

  private static void errorsAreJson(Probe probe) throws IOException {
    FlySimulator fly = probe.fly();
    Map<String, FlyCall> probes = new LinkedHashMap<>();
    probes.put("a status request for an unknown id", fly.status(probe.newFlyId()));
    probes.put(
        "a provision without X-Signature", fly.provision(probe.newFlyId()).withoutSignature());
    probes.put(
        "a signed provision whose body is not JSON",
        fly.provision(probe.newFlyId())
            .rawBody("this is not JSON".getBytes(StandardCharsets.UTF_8)));

    int errors = 0;
    for (Map.Entry<String, FlyCall> entry : probes.entrySet()) {
      FlyReply reply = probe.send(entry.getValue());
      if (reply.status() < 400) {
        continue;
      }
      errors++;
      if (!reply.isJson() || !reply.json().isObject()) {
        throw probe.fail(
            entry.getKey()
                + " answered "
                + reply.status()
                + " with "
                + (reply.hasJsonContentType()
                    ? "a body that is not a JSON object"
                    : contentType(reply))
                + "; error answers must be JSON objects, such as {\"error\": \"...\"}, since"
                + " their text reaches the Fly user");
      }
    }
    if (errors == 0) {
      throw probe.fail(
          "none of "
              + String.join(", ", probes.keySet())
              + " answered an error, so no error answer could be checked");
    }
  }

  // Optional parts.

  private static void machineEvent(Probe probe, MachineEvent.Format format) throws IOException {
    FlyCall event = probe.fly().machineEvent(format, "io.fly.machine.starting");

    FlyReply reply = probe.send(event);

    if (NOT_OFFERED.contains(reply.status())) {
      throw probe.skip(
          "the provider takes no machine events: POST /extensions/events answered "
              + reply.status());
    }
    requireSuccess(probe, reply, "a signed machine event");
    requireSuccess(
        probe,
        probe.send(event),
        "the same machine event sent again (Fly may resend; de-duplicate by event id)");
  }

  private static void billing(Probe probe) throws IOException {
    LocalDate today = LocalDate.ofInstant(now(probe), ZoneOffset.UTC);

    FlyReply reply = probe.send(probe.fly().billing(today.minusDays(1), today));

    if (NOT_OFFERED.contains(reply.status())) {
      throw probe.skip(
          "the provider reports no billing: the billing route answered "
              + reply.status()
              + " (billing is provisional; see docs/billing.md)");
    }
    requireSuccess(probe, reply, "a signed billing fetch");
    JsonNode records = reply.jsonIfAny().map(json -> json.get("records")).orElse(null);
    if (records == null || !records.isArray()) {
      throw probe.fail("the billing answer has no \"records\" array");
    }
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      if (!record.path("extension_id").isTextual()
          || !record.path("date").isTextual()
          || !record.path("amount").isIntegralNumber()
          || !record.path("currency").isTextual()) {
        throw probe.fail(
            "billing record "
                + i
                + " needs extension_id, date and currency strings and an integer amount in minor"
                + " units");
      }
    }
  }

  private static void asyncProvisioning(Probe probe) throws IOException {
    FlySimulator fly = probe.fly();
    FlyCall provision =
        fly.provision(probe.newFlyId())
            .field("read_regions", FlySimulator.JSON.createArrayNode().add("cdg").add("fra"));
    FlyReply provisioned = probe.send(provision);
    // rule: read regions are optional; a provider that serves none may refuse them
    if (provisioned.status() == 400 || provisioned.status() == 422) {
      throw probe.skip(
          "the provider refused a provision with read regions cdg and fra ("
              + provisioned.status()
              + "), and this check knows no other way to ask for slow provisioning");
    }
    String id = probe.requireProvisioned(provisioned, "a valid provision with read regions");

    String status = resourceStatus(probe, probe.send(fly.status(id)), id);
    if (!status.equals("pending")) {
      throw probe.skip(
          "the provider answered \""
              + status
              + "\" right after provisioning (with read regions), so there is no asynchronous"
              + " provisioning to follow");
    }

    long deadline = System.nanoTime() + probe.settings().asyncTimeout().toNanos();
    while (status.equals("pending")) {
      if (System.nanoTime() > deadline) {
        throw probe.fail(
            "still pending after "
                + probe.settings().asyncTimeout().toSeconds()
                + " s of polling; report ready when provisioning is done");
      }
      pause();
      status = resourceStatus(probe, probe.send(fly.status(id)), id);
    }
    if (!status.equals("ready")) {
      throw probe.fail("the pending extension became \"" + status + "\", not \"ready\"");
    }
  }

  private static void ssoRedirects(Probe probe) throws IOException {
    String id = probe.provisioned();

    FlyReply reply = probe.send(probe.fly().dashboard(id));

    if (NOT_OFFERED.contains(reply.status())) {
      throw probe.skip(
          "the provider offers no dashboard sign-in: GET /extensions/{id}/sso answered "
              + reply.status());
    }
    if (!REDIRECTS.contains(reply.status())) {
      throw probe.fail(
          "the dashboard route answered "
              + reply.status()
              + "; expected a redirect to Fly's /oauth/authorize");
    }
    String location = reply.header("Location").orElse("");
    URI uri;
    try {
      uri = URI.create(location);
    } catch (IllegalArgumentException e) {
      throw probe.fail("the redirect's Location is not a URL: " + location);
    }
    if (uri.getRawPath() == null || !uri.getRawPath().endsWith("/oauth/authorize")) {
      throw probe.fail("the redirect does not lead to Fly's /oauth/authorize: " + location);
    }
    Map<String, String> query = queryOf(uri.getRawQuery());
    List<String> missing = new ArrayList<>();
    for (String parameter : List.of("client_id", "redirect_uri", "state")) {
      if (query.getOrDefault(parameter, "").isEmpty()) {
        missing.add(parameter);
      }
    }
    if (!"code".equals(query.get("response_type"))) {
      missing.add("response_type=code");
    }
    if (!"read".equals(query.get("scope"))) {
      missing.add("scope=read");
    }
    if (!missing.isEmpty()) {
      throw probe.fail("the authorize redirect lacks " + String.join(", ", missing));
    }
  }

  // Judging answers.

  private static void requireSuccess(Probe probe, FlyReply reply, String what) {
    if (!reply.isSuccess()) {
      throw probe.fail(what + " answered " + reply.status() + "; expected 2xx");
    }
  }

  private static void requireRefused(Probe probe, FlyReply reply, String what) {
    if (reply.status() != 401 && reply.status() != 403) {
      throw probe.fail(
          what
              + " was "
              + (reply.isSuccess() ? "accepted" : "answered")
              + " with "
              + reply.status()
              + "; expected a refusal with 401");
    }
  }

  /** A status or update answer: 2xx, a JSON object with this id and a known status. */
  private static JsonNode requireResource(Probe probe, FlyReply reply, String what, String id) {
    if (!reply.isSuccess()) {
      throw probe.fail(what + " answered " + reply.status() + "; expected 200 with the resource");
    }
    JsonNode json = reply.jsonIfAny().orElse(null);
    if (json == null || !json.isObject()) {
      throw probe.fail(what + " answered 2xx, but not with a JSON object");
    }
    if (!id.equals(json.path("id").asText(null))) {
      throw probe.fail(what + " answered a resource whose \"id\" is not " + id);
    }
    String status = json.path("status").asText("");
    if (!STATUSES.contains(status)) {
      throw probe.fail(
          what + " answered status \"" + status + "\"; expected ready, pending, sleeping or error");
    }
    return json;
  }

  private static String resourceStatus(Probe probe, FlyReply reply, String id) {
    return requireResource(probe, reply, "status", id).path("status").asText();
  }

  /** Where two JSON values first differ, as a path such as {@code config.KV_TOKEN}, or null. */
  static @Nullable String firstDifference(String path, JsonNode first, @Nullable JsonNode second) {
    String here = path.isEmpty() ? "the whole answer" : path;
    if (second == null) {
      return here + " is not JSON the second time";
    }
    if (first.isObject() && second.isObject()) {
      Iterator<String> names = first.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        String child = path.isEmpty() ? name : path + "." + name;
        if (!second.has(name)) {
          return child + " is missing the second time";
        }
        String difference = firstDifference(child, first.get(name), second.get(name));
        if (difference != null) {
          return difference;
        }
      }
      Iterator<String> secondNames = second.fieldNames();
      while (secondNames.hasNext()) {
        String name = secondNames.next();
        if (!first.has(name)) {
          return (path.isEmpty() ? name : path + "." + name) + " appears only the second time";
        }
      }
      return null;
    }
    return first.equals(second) ? null : here + " changed";
  }

  private static String typeName(JsonNode value) {
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isNull()) {
      return "null";
    }
    return value.isArray() ? "an array" : "an object";
  }

  private static String contentType(FlyReply reply) {
    return reply
        .header("Content-Type")
        .map(type -> "Content-Type " + type)
        .orElse("no Content-Type");
  }

  private static String foreignUrl(FlySimulator fly, String routedPath) {
    return FOREIGN_ORIGIN + URI.create(fly.publicUrl()).getRawPath() + routedPath;
  }

  private static Instant now(Probe probe) {
    return probe.fly().clock().instant();
  }

  private static Map<String, String> queryOf(@Nullable String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while polling for ready");
    }
  }
}
