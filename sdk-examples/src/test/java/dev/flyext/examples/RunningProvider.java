package dev.flyext.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.FlyApiClient;
import dev.flyext.RequestSigner;
import dev.flyext.testkit.FlyApiStandIn;
import dev.flyext.testkit.FlyUser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The example provider wired as {@code serve} wires it ({@link Main#flyClient}, {@link
 * Main#endpoint}), against a {@link FlyApiStandIn}, both on loopback; with a browser that keeps no
 * cookies of its own, so each test says which it sends.
 */
final class RunningProvider implements AutoCloseable {
  static final String ORGANIZATION_ID = "OrgA1b2C3";
  static final String PROVISIONING_SECRET = "running-provider-provisioning-secret";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  final FlyApiStandIn fly;
  final ExampleServer server;
  final FlyApiClient client;
  final KvHandler handler;
  final String origin;
  final String base;

  private final RequestSigner signer = RequestSigner.of(PROVISIONING_SECRET);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(TIMEOUT)
          .build();

  private RunningProvider(
      FlyApiStandIn fly, ExampleServer server, FlyApiClient client, KvHandler handler) {
    this.fly = fly;
    this.server = server;
    this.client = client;
    this.handler = handler;
    this.origin = "http://127.0.0.1:" + server.port();
    this.base = origin + ExampleServer.MOUNT;
  }

  /** Starts both; the stand-in signs in {@code user}; replicas take {@code replicaSetup}. */
  static RunningProvider start(FlyUser user, Duration replicaSetup) throws IOException {
    FlyApiStandIn fly =
        FlyApiStandIn.builder()
            .providerName("kv")
            .webhookSecret("running-provider-webhook-secret")
            .oauthClient("kv-test-client", "kv-test-client-secret")
            .user(user)
            .start();
    ExampleServer server = ExampleServer.bind("127.0.0.1", 0);
    ServeConfig config =
        new ServeConfig(
            PROVISIONING_SECRET,
            "running-provider-webhook-secret",
            "kv-test-client",
            "kv-test-client-secret",
            "kv",
            fly.url(),
            "http://127.0.0.1:" + server.port() + ExampleServer.MOUNT,
            "127.0.0.1",
            server.port());
    FlyApiClient client = Main.flyClient(config);
    KvHandler handler = new KvHandler(Clock.systemUTC(), client, false, replicaSetup);
    server.start(
        Main.endpoint(config, handler, client, outcome -> {}), new DashboardServlet(handler, "kv"));
    return new RunningProvider(fly, server, client, handler);
  }

  /** A user who is admin of the organization the databases are provisioned for. */
  static FlyUser member(String name) {
    return FlyUser.of("Usr4k2P9", name, "u7x9@customer.fly.io")
        .withOrganization(ORGANIZATION_ID, "admin");
  }

  /** Fly's signed provisioning request; answers the JSON answer after checking it is a 200. */
  JsonNode provision(String id, String name, List<String> readRegions) throws Exception {
    ObjectNode body =
        JSON.createObjectNode()
            .put("name", name)
            .put("id", id)
            .put("organization_id", ORGANIZATION_ID)
            .put("organization_name", "Acme Rockets")
            .put("user_id", "Usr4k2P9")
            .put("user_email", "u7x9@customer.fly.io")
            .put("user_role", "admin")
            .put("primary_region", "ams");
    readRegions.forEach(body.putArray("read_regions")::add);
    body.put("url", base + "/extensions")
        .put("nonce", RequestSigner.randomNonce())
        .put("timestamp", Instant.now().getEpochSecond());
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/extensions"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header(RequestSigner.SIGNATURE_HEADER, signer.sign(bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Fly's signed GET or DELETE of one extension. */
  HttpResponse<String> signed(String method, String id) throws Exception {
    String url = base + "/extensions/" + id;
    String query = RequestSigner.query(url, Instant.now(), RequestSigner.randomNonce());
    return http.send(
        HttpRequest.newBuilder(URI.create(url + "?" + query))
            .timeout(TIMEOUT)
            .header(RequestSigner.SIGNATURE_HEADER, signer.sign(query))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        BodyHandlers.ofString());
  }

  /** The status Fly's GET reports. */
  String status(String id) throws Exception {
    HttpResponse<String> response = signed("GET", id);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("status").asText();
  }

  /** A browser's GET of {@code url} (absolute, or a path on the provider) with {@code cookies}. */
  HttpResponse<String> browse(String url, Map<String, String> cookies) throws Exception {
    URI uri = URI.create(url.startsWith("/") ? origin + url : url);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
    if (!cookies.isEmpty()) {
      request.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
              .collect(Collectors.joining("; ")));
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  /**
   * The whole sign-in, from the sso route through the stand-in's OAuth to the callback's redirect.
   *
   * @return the callback's answer
   */
  HttpResponse<String> signIn(String id) throws Exception {
    HttpResponse<String> sso = browse(ExampleServer.MOUNT + "/extensions/" + id + "/sso", Map.of());
    assertThat(sso.statusCode()).as(sso.body()).isEqualTo(302);
    HttpResponse<String> consent = browse(location(sso), Map.of());
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(302);
    return browse(location(consent), cookies(sso));
  }

  static String location(HttpResponse<String> response) {
    return response.headers().firstValue("Location").orElseThrow();
  }

  /** The cookies a browser keeps from {@code response}'s {@code Set-Cookie} headers. */
  static Map<String, String> cookies(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie").stream()
        .map(header -> header.split(";", 2)[0])
        .filter(pair -> pair.indexOf('=') > 0 && !pair.endsWith("="))
        .collect(
            Collectors.toMap(
                pair -> pair.substring(0, pair.indexOf('=')),
                pair -> pair.substring(pair.indexOf('=') + 1)));
  }

  @Override
  public void close() {
    server.close();
    handler.close();
    client.close();
    fly.close();
  }
}
