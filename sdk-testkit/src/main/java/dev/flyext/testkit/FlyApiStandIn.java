package dev.flyext.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flyext.LifecycleWebhook;
import dev.flyext.ProtocolException;
import dev.flyext.RequestSigner;
import dev.flyext.SignatureException;
import dev.flyext.SignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A local stand-in for Fly.io's API, on loopback: the OAuth authorize, token and token info
 * endpoints, and the webhook endpoint, which verifies signatures exactly as a strict Fly would and
 * records what arrived. Point a {@code FlyApiClient} at {@link #url()} in tests and demos.
 *
 * <p>Thread-safe. Its behaviour can be changed while it runs: the signed-in user, the client uid
 * token info reports, webhook failures and delays, and an HTML token endpoint. Close it when done.
 */
public final class FlyApiStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;
  private final String providerName;
  private final String clientId;
  private final String clientSecret;
  private final SignatureVerifier webhookVerifier;
  private final Consumer<String> log;

  private volatile FlyUser user;
  private volatile @Nullable String applicationUid;
  private volatile boolean tokenEndpointAnswersHtml;
  private volatile Duration webhookDelay = Duration.ZERO;
  private final AtomicInteger webhookFailuresLeft = new AtomicInteger();
  private volatile int webhookFailureStatus = 503;
  private volatile @Nullable String webhookRetryAfter;

  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
  private final List<ReceivedWebhook> webhooks = new ArrayList<>();
  private final List<String> refusedWebhooks = new ArrayList<>();
  private final AtomicInteger webhookAttempts = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();

  /** What an authorization code or access token stands for. */
  private record Grant(FlyUser user, String redirectUri, @Nullable String applicationUid) {}

  private FlyApiStandIn(Builder builder) throws IOException {
    this.providerName = builder.providerName;
    this.clientId = builder.clientId;
    this.clientSecret = builder.clientSecret;
    this.user = builder.user;
    this.applicationUid = builder.clientId;
    this.log = builder.log;

    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(4, daemon());
    server.setExecutor(executor);
    this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    this.webhookVerifier =
        SignatureVerifier.builder()
            .secret(builder.webhookSecret)
            .publicBaseUrl(url)
            .clock(builder.clock)
            .build();

    server.createContext("/oauth/authorize", this::authorize);
    server.createContext("/oauth/token/info", this::tokenInfo);
    server.createContext("/oauth/token", this::token);
    server.createContext("/api/hooks/extensions/", this::webhook);
    server.createContext("/", exchange -> answer(exchange, 404, error("no such route")));
    server.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The base URL to give a {@code FlyApiClient}, such as {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** Signs in a different user from now on (existing tokens keep theirs). */
  public void user(FlyUser user) {
    this.user = Objects.requireNonNull(user, "user == null");
  }

  /**
   * The {@code application.uid} token info reports for new tokens; the client id by default, null
   * to leave the field out.
   */
  public void applicationUid(@Nullable String applicationUid) {
    this.applicationUid = applicationUid;
  }

  /** Makes the token endpoint answer an HTML error page, as a broken proxy would. */
  public void tokenEndpointAnswersHtml(boolean html) {
    this.tokenEndpointAnswersHtml = html;
  }

  /** The next {@code count} webhooks are answered {@code status}, with {@code Retry-After}. */
  public void failNextWebhooks(int count, int status, @Nullable String retryAfter) {
    this.webhookFailureStatus = status;
    this.webhookRetryAfter = retryAfter;
    this.webhookFailuresLeft.set(count);
  }

  /** Every webhook answer waits this long first. */
  public void delayWebhooks(Duration delay) {
    this.webhookDelay = Objects.requireNonNull(delay, "delay == null");
  }

  /** Webhooks received with a valid signature, in arrival order. */
  public List<ReceivedWebhook> webhooks() {
    synchronized (webhooks) {
      return List.copyOf(webhooks);
    }
  }

  /** Why each refused webhook was refused (a refusal reason code), in arrival order. */
  public List<String> refusedWebhooks() {
    synchronized (webhooks) {
      return List.copyOf(refusedWebhooks);
    }
  }

  /** Webhook requests received, including refused and failed ones. */
  public int webhookAttempts() {
    return webhookAttempts.get();
  }

  /** Token requests received. */
  public int tokenRequests() {
    return tokenRequests.get();
  }

  /**
   * Waits for a verified webhook that matches {@code filter}.
   *
   * @throws TimeoutException naming what arrived meanwhile
   */
  public ReceivedWebhook awaitWebhook(Predicate<LifecycleWebhook> filter, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (webhooks) {
      while (true) {
        for (ReceivedWebhook received : webhooks) {
          if (filter.test(received.webhook())) {
            return received;
          }
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new TimeoutException(
              "no matching webhook within "
                  + timeout
                  + "; received "
                  + webhooks.size()
                  + ", refused "
                  + refusedWebhooks);
        }
        TimeUnit.NANOSECONDS.timedWait(webhooks, remaining);
      }
    }
  }

  /**
   * Plays the browser at Fly's authorize page for {@code authorizeUrl}: checks the client and the
   * redirect URI, signs in the current user, and returns where Fly would send the browser back.
   */
  public URI consent(URI authorizeUrl) {
    Map<String, String> query = query(authorizeUrl.getRawQuery());
    String refusal = checkAuthorize(query);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    return URI.create(redirectWithCode(query));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // Endpoints.

  private void authorize(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String refusal = checkAuthorize(query);
    if (refusal != null) {
      answer(exchange, 400, error(refusal));
      return;
    }
    String location = redirectWithCode(query);
    log.accept("fly: GET /oauth/authorize -> 302 back to the provider with a code");
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private @Nullable String checkAuthorize(Map<String, String> query) {
    if (!clientId.equals(query.get("client_id"))) {
      return "unknown client_id";
    }
    if (!"code".equals(query.get("response_type"))) {
      return "response_type must be code";
    }
    if (!"read".equals(query.get("scope"))) {
      return "scope must be read";
    }
    if (query.get("redirect_uri") == null || query.get("state") == null) {
      return "redirect_uri and state are required";
    }
    return null;
  }

  private String redirectWithCode(Map<String, String> query) {
    String code = random();
    String redirectUri = query.get("redirect_uri");
    codes.put(code, new Grant(user, redirectUri, applicationUid));
    return redirectUri
        + (redirectUri.contains("?") ? "&" : "?")
        + "code="
        + code
        + "&state="
        + java.net.URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
  }

  private void token(HttpExchange exchange) throws IOException {
    tokenRequests.incrementAndGet();
    if (!exchange.getRequestMethod().equals("POST")) {
      answer(exchange, 405, error("POST only"));
      return;
    }
    if (tokenEndpointAnswersHtml) {
      byte[] html =
          "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(502, html.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(html);
      }
      return;
    }
    Map<String, String> form = query(new String(readBody(exchange), StandardCharsets.UTF_8));

    // rule: the client authenticates in the form body
    if (!clientId.equals(form.get("client_id"))
        || !clientSecret.equals(form.get("client_secret"))) {
      answer(exchange, 401, oauthError("invalid_client", "client authentication failed"));
      return;
    }
    if (!"authorization_code".equals(form.get("grant_type"))) {
      answer(exchange, 400, oauthError("unsupported_grant_type", "only authorization_code"));
      return;
    }
    // rule: a code is used once, with the redirect URI it was issued for
    String code = form.getOrDefault("code", "");
    Grant grant = codes.remove(code);
    if (grant == null) {
      log.accept("fly: POST /oauth/token -> 400 invalid_grant (unknown or used code)");
      answer(exchange, 400, oauthError("invalid_grant", "the code is unknown, used or expired"));
      return;
    }
    if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
      answer(exchange, 400, oauthError("invalid_grant", "redirect_uri does not match"));
      return;
    }

    String accessToken = random();
    tokens.put(accessToken, grant);
    ObjectNode body = JSON.createObjectNode();
    body.put("access_token", accessToken);
    body.put("token_type", "Bearer");
    body.put("expires_in", 7200);
    body.put("refresh_token", random());
    body.put("scope", "read");
    body.put("created_at", System.currentTimeMillis() / 1000);
    log.accept("fly: POST /oauth/token (code, client id and secret in the form) -> 200 token");
    answer(exchange, 200, body);
  }

  private void tokenInfo(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Grant grant =
        authorization != null && authorization.startsWith("Bearer ")
            ? tokens.get(authorization.substring(7))
            : null;
    if (grant == null) {
      answer(exchange, 401, oauthError("invalid_token", "unknown access token"));
      return;
    }
    FlyUser who = grant.user();
    ObjectNode body = JSON.createObjectNode();
    body.put("resource_owner_id", who.id());
    body.put("user_id", who.id());
    body.put("user_name", who.name());
    body.put("email", who.email());
    ArrayNode organizations = body.putArray("organizations");
    who.organizations()
        .forEach((id, role) -> organizations.addObject().put("id", id).put("role", role));
    body.putArray("scope").add("read");
    body.put("expires_in", 7200);
    if (grant.applicationUid() != null) {
      body.putObject("application").put("uid", grant.applicationUid());
    }
    body.put("created_at", System.currentTimeMillis() / 1000);
    log.accept("fly: GET /oauth/token/info (Bearer token) -> 200 user " + who.id());
    answer(exchange, 200, body);
  }

  private void webhook(HttpExchange exchange) throws IOException {
    webhookAttempts.incrementAndGet();
    sleep(webhookDelay);
    String path = exchange.getRequestURI().getRawPath();
    if (!exchange.getRequestMethod().equals("POST")) {
      answer(exchange, 405, error("POST only"));
      return;
    }
    if (!path.equals("/api/hooks/extensions/" + providerName)) {
      answer(exchange, 404, error("no such provider"));
      return;
    }
    byte[] body = readBody(exchange);
    if (webhookFailuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      if (webhookRetryAfter != null) {
        exchange.getResponseHeaders().add("Retry-After", webhookRetryAfter);
      }
      log.accept("fly: POST " + path + " -> " + webhookFailureStatus + " (injected failure)");
      answer(exchange, webhookFailureStatus, error("temporarily unavailable"));
      return;
    }

    List<String> signatures =
        exchange.getRequestHeaders().getOrDefault(RequestSigner.SIGNATURE_HEADER, List.of());
    LifecycleWebhook webhook;
    try {
      webhookVerifier.verifyBody(signatures, body, path);
      webhook = LifecycleWebhook.parse(body);
    } catch (SignatureException e) {
      refuse(exchange, e.reason().code(), 401, e.getMessage());
      return;
    } catch (ProtocolException e) {
      refuse(exchange, "invalid_request", 400, e.getMessage());
      return;
    }

    synchronized (webhooks) {
      webhooks.add(new ReceivedWebhook(webhook, body, signatures.get(0)));
      webhooks.notifyAll();
    }
    log.accept(
        "fly: POST "
            + path
            + " "
            + webhook.action()
            + " "
            + webhook.resource().id()
            + " status="
            + webhook.resource().status()
            + " (signature verified) -> 200");
    answer(exchange, 200, JSON.createObjectNode().put("ok", true));
  }

  private void refuse(HttpExchange exchange, String reason, int status, String message)
      throws IOException {
    synchronized (webhooks) {
      refusedWebhooks.add(reason);
      webhooks.notifyAll();
    }
    log.accept("fly: webhook refused: " + reason);
    ObjectNode body = error(message);
    body.put("reason", reason);
    answer(exchange, status, body);
  }

  // Plumbing.

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readNBytes(1 << 20);
    }
  }

  private static void answer(HttpExchange exchange, int status, ObjectNode body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static ObjectNode oauthError(String code, String description) {
    return JSON.createObjectNode().put("error", code).put("error_description", description);
  }

  private static Map<String, String> query(@Nullable String raw) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.putIfAbsent(
          java.net.URLDecoder.decode(name, StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "fly-stand-in-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Collects a {@link FlyApiStandIn}; not thread-safe. */
  public static final class Builder {
    private String providerName = "kvstore";
    private String webhookSecret = "stand-in-webhook-secret";
    private String clientId = "stand-in-client";
    private String clientSecret = "stand-in-client-secret";
    private FlyUser user =
        FlyUser.of("usr_standin", "Stand-in User", "standin@customer.fly.io")
            .withOrganization("org_standin", "admin");
    private Clock clock = Clock.systemUTC();
    private Consumer<String> log = line -> {};

    private Builder() {}

    public Builder providerName(String providerName) {
      this.providerName = Objects.requireNonNull(providerName, "providerName == null");
      return this;
    }

    public Builder webhookSecret(String webhookSecret) {
      this.webhookSecret = Objects.requireNonNull(webhookSecret, "webhookSecret == null");
      return this;
    }

    public Builder oauthClient(String clientId, String clientSecret) {
      this.clientId = Objects.requireNonNull(clientId, "clientId == null");
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret == null");
      return this;
    }

    public Builder user(FlyUser user) {
      this.user = Objects.requireNonNull(user, "user == null");
      return this;
    }

    /** The clock webhook freshness is judged by. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Receives one line per exchange, for demos; never a secret, code or token. */
    public Builder log(Consumer<String> log) {
      this.log = Objects.requireNonNull(log, "log == null");
      return this;
    }

    /** Starts the stand-in on a free loopback port. */
    public FlyApiStandIn start() throws IOException {
      return new FlyApiStandIn(this);
    }
  }
}
