package dev.flyext.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.FlyApiClient;
import dev.flyext.ProviderEndpoint;
import dev.flyext.RequestSigner;
import dev.flyext.ResourceStatus;
import dev.flyext.WebhookAction;
import dev.flyext.testkit.FlyApiStandIn;
import dev.flyext.testkit.FlyUser;
import dev.flyext.testkit.ReceivedWebhook;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code demo} command: starts a stand-in for Fly's API ({@link FlyApiStandIn}) and the example
 * provider, wired as {@code serve} wires it, on free loopback ports with secrets made for the run.
 * Then it plays Fly's side, and the user's browser, over HTTP, and checks every answer.
 *
 * <p>Fly's calls are signed as Fly signs them: POST and PATCH over the body bytes, which carry
 * {@code timestamp}, {@code nonce} and {@code url}; GET and DELETE over the raw query string, which
 * carries them. The provisioning asks for read replicas, so the provider answers at once, reports
 * {@code pending}, and about a second later tells the stand-in with a signed {@code
 * resource.updated} webhook. Dashboard sign-in goes through the stand-in's OAuth pages and ends on
 * the provider's dashboard page. Three requests must be refused: a sign-in callback with a forged
 * state, a provision with a byte of its body changed, and one sent twice.
 *
 * <p>It prints each exchange, with signatures, OAuth codes and states, and cookies cut short and
 * credentials in {@code config} masked. The stand-in's own log lines start with {@code fly:}.
 */
final class Demo {
  /** One step: what it expected and what it got; status -1 when no answer came. */
  record Step(String name, int expectedStatus, int status, boolean passed) {}

  /** Every step, in order. */
  record Result(List<Step> steps) {
    Result {
      steps = List.copyOf(steps);
    }

    long passed() {
      return steps.stream().filter(Step::passed).count();
    }

    boolean allPassed() {
      return passed() == steps.size();
    }
  }

  static final String FLY_ID = "ext_7hq2m";
  static final String ORGANIZATION_ID = "OrgA1b2C3";
  static final String MACHINE_ID = "3d8d9d1f0e6e89";
  static final String PROVIDER_NAME = "kv";
  static final String CLIENT_ID = "kv-demo-client";

  /** The Fly user who provisions and then opens the dashboard. */
  static final FlyUser USER =
      FlyUser.of("Usr4k2P9", "Ada Lovelace", "u7x9@customer.fly.io")
          .withOrganization("OrgZ9y8X7", "member")
          .withOrganization(ORGANIZATION_ID, "admin");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern CREDENTIAL = Pattern.compile(".*(TOKEN|SECRET|PASSWORD|KEY).*");
  private static final Pattern OAUTH_VALUE = Pattern.compile("([?&](?:state|code)=)([^&]*)");
  private static final Pattern ROW = Pattern.compile("<tr><th>(.*?)</th><td>(.*?)</td></tr>");
  private static final Pattern TITLE = Pattern.compile("<h1>(.*?)</h1>");
  private static final Pattern PARAGRAPH = Pattern.compile("<p>(.*?)</p>");
  private static final String STATE_COOKIE = "flyext_sso_";
  private static final String INDENT = "    ";

  /** Who a call goes to: Fly's calls and sign-in go through the endpoint, and leave a log line. */
  private enum Target {
    ENDPOINT,
    DASHBOARD,
    FLY
  }

  /** One request exactly as sent, so that it can be sent again byte for byte. */
  private record Call(
      Target target,
      String method,
      URI uri,
      String shown,
      Map<String, String> headers,
      byte @Nullable [] body) {}

  /** What a step must get back, and how the demo says so. */
  private record Expect(int status, String shown, Predicate<HttpResponse<String>> check) {}

  /** A cookie the demo's browser keeps: sent on provider requests below its path. */
  private record BrowserCookie(String name, String value, String path) {}

  private final PrintStream out;
  private final String origin;
  private final String base;
  private final RequestSigner signer;
  private final KvHandler handler;
  private final FlyApiStandIn fly;
  private final BlockingQueue<String> providerLog;
  private final BlockingQueue<String> flyLog;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(TIMEOUT)
          .build();
  private final List<BrowserCookie> browserCookies = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();

  private Demo(
      PrintStream out,
      String origin,
      RequestSigner signer,
      KvHandler handler,
      FlyApiStandIn fly,
      BlockingQueue<String> providerLog,
      BlockingQueue<String> flyLog) {
    this.out = out;
    this.origin = origin;
    this.base = origin + ExampleServer.MOUNT;
    this.signer = signer;
    this.handler = handler;
    this.fly = fly;
    this.providerLog = providerLog;
    this.flyLog = flyLog;
  }

  /**
   * Runs the demo, printing to {@code out}, and stops the provider and the stand-in at the end.
   *
   * @throws IOException if the provider or the stand-in cannot start; a failed step is reported in
   *     the result
   */
  static Result run(PrintStream out) throws IOException, InterruptedException {
    String provisioningSecret = newSecret();
    String webhookSecret = newSecret();
    String clientSecret = newSecret();
    BlockingQueue<String> providerLog = new LinkedBlockingQueue<>();
    BlockingQueue<String> flyLog = new LinkedBlockingQueue<>();

    try (FlyApiStandIn standIn =
            FlyApiStandIn.builder()
                .providerName(PROVIDER_NAME)
                .webhookSecret(webhookSecret)
                .oauthClient(CLIENT_ID, clientSecret)
                .user(USER)
                .log(flyLog::add)
                .start();
        ExampleServer server = ExampleServer.bind("127.0.0.1", 0)) {
      String origin = "http://127.0.0.1:" + server.port();
      ServeConfig config =
          new ServeConfig(
              provisioningSecret,
              webhookSecret,
              CLIENT_ID,
              clientSecret,
              PROVIDER_NAME,
              standIn.url(),
              origin + ExampleServer.MOUNT,
              "127.0.0.1",
              server.port());

      // The same wiring as serve; closed before the server and the stand-in stop.
      try (FlyApiClient client = Main.flyClient(config);
          KvHandler handler = KvHandler.create(client, config.publicUrl())) {
        ProviderEndpoint endpoint =
            Main.endpoint(config, handler, client, outcome -> providerLog.add(outcome.toLogLine()));
        server.start(endpoint, new DashboardServlet(handler, PROVIDER_NAME));

        out.println("example-provider demo: the kv provider answers at " + config.publicUrl());
        out.println(
            "A stand-in for Fly's API (OAuth and the webhook endpoint) answers at "
                + standIn.url()
                + ".");
        out.println(
            "This demo plays Fly and the user's browser. Every secret is made for this run.");
        Demo demo =
            new Demo(
                out,
                origin,
                RequestSigner.of(provisioningSecret),
                handler,
                standIn,
                providerLog,
                flyLog);
        return demo.play();
      }
    }
  }

  private Result play() throws InterruptedException {
    Call provision = signedBody("POST", "/extensions", provisionFields(FLY_ID));
    send(
        "provision",
        "Fly asks for a new kv database with read replicas in cdg and fra",
        provision,
        expect(200, "id", FLY_ID));

    String resource = "/extensions/" + FLY_ID;
    send(
        "status while pending",
        "Fly asks how it is; the replicas are still being set up",
        signedQuery("GET", resource, Map.of()),
        expect(200, "status", "pending"));
    awaitReadyWebhook();
    send(
        "status when ready",
        "Fly asks again",
        signedQuery("GET", resource, Map.of()),
        expect(200, "status", "ready"));

    ObjectNode update = JSON.createObjectNode();
    update.putObject("options").put("plan", "pro");
    update.putArray("read_regions").add("cdg");
    send(
        "update",
        "the user moves to the pro plan and keeps one read region",
        signedBody("PATCH", resource, update),
        expect(200, "plan", "pro"));

    send(
        "machine event",
        "one of the provider's Machines is starting",
        machineEvent(),
        expect(200, "id", null));
    for (var event : handler.recentEvents()) {
      out.println(INDENT + "handler received " + event);
    }

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Map<String, String> period = new LinkedHashMap<>();
    period.put("from", today.minusDays(2).toString());
    period.put("to", today.toString());
    send(
        "billing",
        "Fly's daily billing fetch for the last three days; the database exists since today",
        signedQuery("GET", "/billing", period),
        expect(200, null, null));

    signIn();

    send(
        "delete",
        "the user destroys it",
        signedQuery("DELETE", resource, Map.of()),
        expect(200, "deleted", "true"));
    send(
        "status after delete",
        "it is gone",
        signedQuery("GET", resource, Map.of()),
        expect(404, null, null));

    Call signed = signedBody("POST", "/extensions", provisionFields("ext_8kd3p"));
    send(
        "tampered",
        "a new provision whose organization_id was changed to "
            + tamperedOrganization()
            + " after signing (one byte; signature kept)",
        tampered(signed),
        expect(401, "reason", "signature_mismatch"));
    send(
        "replayed",
        "the first provision sent again, byte for byte",
        provision,
        expect(401, "reason", "replayed_nonce"));

    Result result = new Result(steps);
    out.println();
    if (result.allPassed()) {
      out.println(
          "demo: all "
              + steps.size()
              + " steps got the expected answer; the forged sign-in, the tampered and the"
              + " replayed request were refused.");
    } else {
      out.println(
          "demo: FAILED: "
              + result.passed()
              + " of "
              + steps.size()
              + " steps got the expected answer; failed: "
              + String.join(
                  ", ", steps.stream().filter(s -> !s.passed()).map(Step::name).toList()));
    }
    return result;
  }

  /** The replicas come up about a second after provisioning, and the provider tells Fly. */
  private void awaitReadyWebhook() throws InterruptedException {
    out.println();
    out.println(
        "["
            + (steps.size() + 1)
            + "] webhook: the replicas are up; the provider tells Fly with a signed"
            + " resource.updated");
    int status = -1;
    try {
      ReceivedWebhook received =
          fly.awaitWebhook(
              webhook ->
                  webhook.action() == WebhookAction.UPDATED
                      && webhook.resource().id().equals(FLY_ID)
                      && webhook.resource().status() == ResourceStatus.READY,
              TIMEOUT);
      out.println(INDENT + "> POST /api/hooks/extensions/" + PROVIDER_NAME + " (to Fly)");
      out.println(INDENT + "> " + shown(RequestSigner.SIGNATURE_HEADER, received.signature()));
      out.println(INDENT + "> " + received.bodyText());
      status = 200;
    } catch (TimeoutException e) {
      out.println(INDENT + "< no webhook: " + e.getMessage());
    }
    // The stand-in logs a webhook just after recording it.
    printFlyLog(status == -1 ? 0 : 1);

    boolean passed = status == 200;
    out.println(
        INDENT
            + (passed ? "ok" : "FAILED")
            + ": expected resource.updated with status ready, its signature verified by Fly");
    steps.add(new Step("webhook", 200, status, passed));
  }

  /** {@code flyctl ext kv dashboard}: from the sso route through Fly's OAuth to the page. */
  private void signIn() throws InterruptedException {
    String dashboard = ExampleServer.DASHBOARD + "/" + FLY_ID;
    send(
        "dashboard without session",
        "a browser that never signed in opens the dashboard page",
        browser(Target.DASHBOARD, dashboard),
        page(401, "Sign in to see this dashboard"));

    HttpResponse<String> sso =
        send(
            "sso",
            "the user runs flyctl ext "
                + PROVIDER_NAME
                + " dashboard, which opens the browser here",
            browser(Target.ENDPOINT, ExampleServer.MOUNT + "/extensions/" + FLY_ID + "/sso"),
            redirect(fly.url() + "/oauth/authorize?", "to Fly's authorize page"));
    String authorize = sso == null ? fly.url() + "/oauth/authorize" : location(sso);

    HttpResponse<String> consent =
        send(
            "fly authorize",
            "the browser follows to Fly, where the user is signed in and consents",
            new Call(
                Target.FLY, "GET", URI.create(authorize), shortened(authorize), Map.of(), null),
            redirect(base + "/oauth/callback?code=", "back to the provider's callback"));
    String callback = consent == null ? base + "/oauth/callback" : location(consent);

    send(
        "callback",
        "the browser brings the code and state back, with its sign-in cookie",
        browser(Target.ENDPOINT, callback.substring(origin.length())),
        redirect(dashboard, "to the dashboard, with the kv_session cookie"));

    send(
        "dashboard",
        "the browser opens the dashboard with its session",
        browser(Target.DASHBOARD, dashboard),
        page(200, "<tr><th>Signed in as</th><td>" + USER.name() + "</td></tr>"));

    send(
        "sso again",
        "the user runs flyctl ext " + PROVIDER_NAME + " dashboard again",
        browser(Target.ENDPOINT, ExampleServer.MOUNT + "/extensions/" + FLY_ID + "/sso"),
        redirect(dashboard, "straight to the dashboard: the session is still good"));

    String forged =
        ExampleServer.MOUNT
            + "/oauth/callback?code="
            + HexFormat.of().formatHex(randomBytes(16))
            + "&state="
            + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
    send(
        "forged state",
        "a link someone else made sends the browser to the callback with their own state",
        browser(Target.ENDPOINT, forged),
        expect(400, "reason", "foreign_state"));
  }

  /** A provisioning request's fields, before the signed ones are added. */
  private static ObjectNode provisionFields(String flyId) {
    ObjectNode fields =
        JSON.createObjectNode()
            .put("name", "kv-demo")
            .put("id", flyId)
            .put("organization_id", ORGANIZATION_ID)
            .put("organization_name", "Acme Rockets")
            .put("user_id", "Usr4k2P9")
            .put("user_email", "u7x9@customer.fly.io")
            .put("user_role", "admin")
            .put("primary_region", "ams");
    fields.putArray("read_regions").add("cdg").add("fra");
    fields.putObject("options").put("plan", "free");
    return fields;
  }

  /** A POST or PATCH: {@code url}, {@code nonce} and {@code timestamp} go in, then the bytes. */
  private Call signedBody(String method, String path, ObjectNode fields) {
    ObjectNode body = fields.deepCopy();
    body.put("url", base + path);
    body.put("nonce", RequestSigner.randomNonce());
    body.put("timestamp", Instant.now().getEpochSecond());
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put(RequestSigner.SIGNATURE_HEADER, signer.sign(bytes));
    return toEndpoint(method, path, headers, bytes);
  }

  /** A GET or DELETE: the raw query string is what is signed, and it is sent unchanged. */
  private Call signedQuery(String method, String path, Map<String, String> parameters) {
    String query =
        RequestSigner.query(base + path, Instant.now(), RequestSigner.randomNonce(), parameters);
    return toEndpoint(
        method,
        path + "?" + query,
        Map.of(RequestSigner.SIGNATURE_HEADER, signer.sign(query)),
        null);
  }

  /** A CloudEvent in binary mode: attributes in {@code ce-*} headers, the signed body as data. */
  private Call machineEvent() {
    ObjectNode body =
        JSON.createObjectNode().put("machine_id", MACHINE_ID).put("status", "starting");
    body.putObject("data").put("region", "ams");
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("ce-specversion", "1.0");
    headers.put("ce-id", "evt_" + RequestSigner.randomNonce().substring(0, 12));
    headers.put("ce-type", "io.fly.machine.starting");
    headers.put("ce-source", "/apps/kv-demo/machines/" + MACHINE_ID);
    headers.put("ce-time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    headers.put(RequestSigner.SIGNATURE_HEADER, signer.sign(bytes));
    return toEndpoint("POST", "/extensions/events", headers, bytes);
  }

  /** A call from Fly to the endpoint; {@code target} is below the public base URL. */
  private Call toEndpoint(
      String method, String target, Map<String, String> headers, byte @Nullable [] body) {
    return new Call(
        Target.ENDPOINT,
        method,
        URI.create(base + target),
        ExampleServer.MOUNT + target,
        headers,
        body);
  }

  /** A GET from the user's browser to the provider, with the cookies it holds for the path. */
  private Call browser(Target target, String pathAndQuery) {
    String path = URI.create(pathAndQuery).getRawPath();
    List<String> cookies = new ArrayList<>();
    for (BrowserCookie cookie : browserCookies) {
      if (path.equals(cookie.path())
          || path.startsWith(cookie.path().endsWith("/") ? cookie.path() : cookie.path() + "/")) {
        cookies.add(cookie.name() + "=" + cookie.value());
      }
    }
    Map<String, String> headers =
        cookies.isEmpty() ? Map.of() : Map.of("Cookie", String.join("; ", cookies));
    return new Call(
        target, "GET", URI.create(origin + pathAndQuery), shortened(pathAndQuery), headers, null);
  }

  /** The same call with the last byte of the organization id changed and the signature kept. */
  private static Call tampered(Call call) {
    byte[] body = call.body() == null ? new byte[0] : call.body().clone();
    String text = new String(body, StandardCharsets.UTF_8);
    int last = text.indexOf(ORGANIZATION_ID) + ORGANIZATION_ID.length() - 1;
    body[last] = (byte) tamperedOrganization().charAt(ORGANIZATION_ID.length() - 1);
    return new Call(call.target(), call.method(), call.uri(), call.shown(), call.headers(), body);
  }

  private static String tamperedOrganization() {
    return ORGANIZATION_ID.substring(0, ORGANIZATION_ID.length() - 1) + "4";
  }

  /**
   * Sends one call, prints the exchange and records whether the answer was the expected one.
   *
   * @return the answer, or null when none came
   */
  private @Nullable HttpResponse<String> send(String name, String story, Call call, Expect expect)
      throws InterruptedException {
    out.println();
    out.println("[" + (steps.size() + 1) + "] " + name + ": " + story);
    out.println(INDENT + "> " + call.method() + " " + call.shown());
    call.headers().forEach((header, value) -> out.println(INDENT + "> " + shown(header, value)));
    if (call.body() != null) {
      out.println(INDENT + "> " + new String(call.body(), StandardCharsets.UTF_8));
    }

    HttpResponse<String> response = null;
    try {
      response = http.send(request(call), BodyHandlers.ofString());
      printAnswer(response);
      if (call.target() != Target.FLY) {
        keepCookies(response);
      }
    } catch (IOException e) {
      out.println(INDENT + "< no answer: " + e);
    }

    // Fly's stand-in logs before it answers, and so does the endpoint.
    printFlyLog(0);
    if (call.target() == Target.ENDPOINT) {
      String logged = providerLog.poll(response == null ? 0 : 1, TimeUnit.SECONDS);
      while (logged != null) {
        out.println(INDENT + "provider log: " + logged);
        logged = providerLog.poll();
      }
    }

    int status = response == null ? -1 : response.statusCode();
    boolean passed = status == expect.status() && expect.check().test(response);
    out.println(INDENT + (passed ? "ok" : "FAILED") + ": expected " + expect.shown());
    steps.add(new Step(name, expect.status(), status, passed));
    return response;
  }

  private void printAnswer(HttpResponse<String> response) {
    int status = response.statusCode();
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (status >= 300 && status < 400) {
      // The body repeats the location in full; the headers are what a browser acts on.
      out.println(INDENT + "< " + status);
      response
          .headers()
          .firstValue("Location")
          .ifPresent(location -> out.println(INDENT + "< Location: " + shortened(location)));
      for (String cookie : response.headers().allValues("Set-Cookie")) {
        out.println(INDENT + "< " + shown("Set-Cookie", cookie));
      }
    } else if (type.startsWith("text/html")) {
      out.println(INDENT + "< " + status + " " + type + ", a page that reads:");
      Matcher title = TITLE.matcher(response.body());
      if (title.find()) {
        out.println(INDENT + "<   " + title.group(1));
      }
      Matcher row = ROW.matcher(response.body());
      while (row.find()) {
        out.println(INDENT + "<   " + row.group(1) + ": " + row.group(2));
      }
      Matcher paragraph = PARAGRAPH.matcher(response.body());
      while (paragraph.find()) {
        out.println(INDENT + "<   " + paragraph.group(1).replaceAll("<[^>]*>", ""));
      }
    } else {
      out.println(INDENT + "< " + status + " " + masked(response.body()));
    }
  }

  private void printFlyLog(int waitSeconds) throws InterruptedException {
    String logged = flyLog.poll(waitSeconds, TimeUnit.SECONDS);
    while (logged != null) {
      out.println(INDENT + logged);
      logged = flyLog.poll();
    }
  }

  /** Keeps what {@code Set-Cookie} says, as a browser would: a cookie with Max-Age=0 goes. */
  private void keepCookies(HttpResponse<String> response) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      String[] parts = header.split(";");
      int equals = parts[0].indexOf('=');
      if (equals <= 0) {
        continue;
      }
      String name = parts[0].substring(0, equals).strip();
      String value = parts[0].substring(equals + 1).strip();
      String path = "/";
      boolean expired = false;
      for (int i = 1; i < parts.length; i++) {
        String attribute = parts[i].strip();
        if (attribute.regionMatches(true, 0, "Path=", 0, 5)) {
          path = attribute.substring(5);
        } else if (attribute.equalsIgnoreCase("Max-Age=0")) {
          expired = true;
        }
      }
      browserCookies.removeIf(cookie -> cookie.name().equals(name));
      if (!expired) {
        browserCookies.add(new BrowserCookie(name, value, path));
      }
    }
  }

  private HttpRequest request(Call call) {
    HttpRequest.Builder request = HttpRequest.newBuilder(call.uri()).timeout(TIMEOUT);
    call.headers().forEach(request::header);
    BodyPublisher body =
        call.body() == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(call.body());
    return request.method(call.method(), body).build();
  }

  private static Expect expect(int status, @Nullable String field, @Nullable String value) {
    String shown =
        field == null
            ? Integer.toString(status)
            : field.equals("reason")
                ? status + " " + value
                : status + " with " + field + (value == null ? "" : " " + value);
    return new Expect(
        status,
        shown,
        response -> {
          if (field == null) {
            return true;
          }
          JsonNode json = json(response.body());
          return json.has(field) && (value == null || value.equals(json.get(field).asText()));
        });
  }

  private static Expect redirect(String locationPrefix, String description) {
    return new Expect(
        302, "302 " + description, response -> location(response).startsWith(locationPrefix));
  }

  private static Expect page(int status, String content) {
    return new Expect(
        status,
        status + " text/html" + (status == 200 ? " naming the user" : " that says how to sign in"),
        response ->
            response.headers().firstValue("Content-Type").orElse("").startsWith("text/html")
                && response.body().contains(content));
  }

  private static String location(HttpResponse<String> response) {
    return response.headers().firstValue("Location").orElse("");
  }

  /** A header as printed: signatures, OAuth values and cookie values cut short. */
  private static String shown(String header, String value) {
    if (header.equals(RequestSigner.SIGNATURE_HEADER)) {
      return header + ": " + value.substring(0, 12) + "... (HMAC-SHA256, cut short here)";
    }
    if (header.equals("Cookie")) {
      List<String> cookies = new ArrayList<>();
      for (String pair : value.split("; ")) {
        cookies.add(cutCookie(pair));
      }
      return header + ": " + String.join("; ", cookies);
    }
    if (header.equals("Set-Cookie")) {
      int semicolon = value.indexOf(';');
      String pair = semicolon < 0 ? value : value.substring(0, semicolon);
      return header + ": " + cutCookie(pair) + (semicolon < 0 ? "" : value.substring(semicolon));
    }
    return header + ": " + value;
  }

  /**
   * A {@code name=value} pair as printed: the value cut to six characters, and so is the part of a
   * sign-in cookie's name that comes from the state.
   */
  private static String cutCookie(String pair) {
    int equals = pair.indexOf('=');
    String name = equals < 0 ? pair : pair.substring(0, equals);
    String value = equals < 0 ? "" : pair.substring(equals + 1);
    if (name.startsWith(STATE_COOKIE)) {
      name = STATE_COOKIE + cut(name.substring(STATE_COOKIE.length()));
    }
    return name + "=" + cut(value);
  }

  /** A URL as printed: the values of {@code state} and {@code code} cut short. */
  private static String shortened(String url) {
    Matcher matcher = OAUTH_VALUE.matcher(url);
    StringBuilder shown = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(shown, Matcher.quoteReplacement(matcher.group(1)));
      shown.append(cut(matcher.group(2)));
    }
    matcher.appendTail(shown);
    return shown.toString();
  }

  private static String cut(String value) {
    return value.length() <= 8 ? value : value.substring(0, 6) + "...";
  }

  /** The answer as printed: credentials in {@code config} keep their first four characters. */
  private static String masked(String answer) {
    JsonNode json;
    try {
      json = JSON.readTree(answer);
    } catch (IOException e) {
      return answer;
    }
    if (json != null && json.get("config") instanceof ObjectNode config) {
      List<String> names = new ArrayList<>();
      config.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String value = config.path(name).asText();
        if (CREDENTIAL.matcher(name).matches()) {
          config.put(name, value.substring(0, Math.min(4, value.length())) + "...(masked)");
        }
      }
    }
    return json == null || json.isMissingNode() ? answer : json.toString();
  }

  private static JsonNode json(String answer) {
    try {
      JsonNode json = JSON.readTree(answer);
      return json == null ? JSON.missingNode() : json;
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static String newSecret() {
    return HexFormat.of().formatHex(randomBytes(32));
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
