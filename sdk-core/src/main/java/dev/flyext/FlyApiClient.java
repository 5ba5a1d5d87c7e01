package dev.flyext;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Calls Fly.io's API on the provider's behalf: signed lifecycle webhooks, and the OAuth code
 * exchange and token info that dashboard sign-in needs.
 *
 * <p><b>Thread-safe and meant to be shared:</b> build one per provider and keep it for the life of
 * the process; it holds a connection pool and, once a webhook is queued, a small delivery thread.
 * {@link #close()} drains queued webhooks for a while, then stops. It closes only what it created:
 * an {@link OkHttpClient} given to {@link Builder#httpClient} stays open.
 *
 * <p><b>Retries:</b> webhook deliveries retry network errors, timeouts, 429 and 5xx with
 * exponential backoff, jitter and {@code Retry-After}; other 4xx are not retried. Each attempt
 * carries a fresh timestamp and nonce, signed over the exact bytes sent. OkHttp's own silent retry
 * is off. OAuth calls are not retried: a code can be exchanged once.
 *
 * <p><b>Never logged or put in an exception:</b> the webhook secret, the OAuth client secret, codes
 * and tokens.
 */
public final class FlyApiClient implements AutoCloseable {
  /** Fly's API. */
  public static final String DEFAULT_API_URL = "https://api.fly.io";

  private static final System.Logger LOG = System.getLogger("dev.flyext");
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType FORM =
      MediaType.get("application/x-www-form-urlencoded; charset=utf-8");
  private static final long MAX_ANSWER_BYTES = 256 * 1024;

  private final HttpUrl apiUrl;

  /** Where webhooks go, built once rather than on every attempt; null without a provider name. */
  private final @Nullable HttpUrl webhookUrl;

  private final @Nullable RequestSigner webhookSigner;
  private final @Nullable String clientId;
  private final @Nullable String clientSecret;
  private final @Nullable URI redirectUri;
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final Clock clock;
  private final RetryPolicy blockingRetry;
  private final WebhookDispatcher dispatcher;

  private FlyApiClient(Builder builder) {
    this.apiUrl = builder.apiUrl;
    this.webhookUrl =
        builder.providerName == null
            ? null
            : builder
                .apiUrl
                .newBuilder()
                .addPathSegments("api/hooks/extensions")
                .addPathSegment(builder.providerName)
                .build();
    this.webhookSigner =
        builder.webhookSecret == null ? null : RequestSigner.of(builder.webhookSecret);
    this.clientId = builder.clientId;
    this.clientSecret = builder.clientSecret;
    this.redirectUri = builder.redirectUri;
    this.clock = builder.clock;
    this.blockingRetry = builder.blockingRetry;

    OkHttpClient base = builder.httpClient;
    this.ownsHttp = base == null;
    OkHttpClient.Builder http = base == null ? new OkHttpClient.Builder() : base.newBuilder();
    this.http =
        http.retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(builder.connectTimeout)
            .readTimeout(builder.readTimeout)
            .writeTimeout(builder.readTimeout)
            .callTimeout(builder.callTimeout)
            .build();

    this.dispatcher =
        new WebhookDispatcher(this, builder.outbox, builder.queuedRetry, builder.failureListener);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where webhooks go: {@code {fly}/api/hooks/extensions/{provider}}. */
  public String webhookUrl() {
    return webhookHttpUrl().toString();
  }

  /** Whether OAuth calls are configured: client id, secret and redirect URI. */
  boolean hasOAuthClient() {
    return clientId != null && clientSecret != null && redirectUri != null;
  }

  @Nullable URI redirectUri() {
    return redirectUri;
  }

  /** The OAuth client id, for comparing with token info's {@code application.uid}. */
  public String clientId() {
    return requireOAuth().clientId;
  }

  /**
   * Sends a lifecycle webhook now, retrying per {@link Builder#blockingRetry}, and returns once Fly
   * accepted it.
   *
   * @throws FlyApiException if Fly refused it (a 4xx other than 429), or still answered 429 or 5xx
   *     when the attempts ran out
   * @throws IOException if the network still failed when the attempts ran out
   */
  public WebhookDelivery sendWebhook(WebhookAction action, Resource resource) throws IOException {
    PendingWebhook webhook = prepare(action, resource);
    int attempts = 0;
    while (true) {
      attempts++;
      Attempt attempt = attempt(webhook);
      if (attempt.delivered()) {
        return new WebhookDelivery(webhook, attempt.status, attempts);
      }
      if (!attempt.retryable || attempts >= blockingRetry.maxAttempts()) {
        Exception failure = attempt.failure(attempts);
        if (failure instanceof IOException io) {
          throw io;
        }
        throw (RuntimeException) failure;
      }
      sleep(blockingRetry.backoff(attempts, attempt.retryAfter));
    }
  }

  /**
   * Queues a lifecycle webhook for delivery in the background, in order with the other webhooks of
   * the same resource, retrying per {@link Builder#queuedRetry}.
   *
   * @return completes with the delivery, or exceptionally with a {@link FlyApiException} or {@link
   *     IOException} once given up; a webhook given up is also reported to the failure listener
   * @throws WebhookQueueFullException if the outbox is full; the webhook was not queued
   * @throws IllegalStateException after {@link #close()}
   */
  public CompletableFuture<WebhookDelivery> enqueueWebhook(
      WebhookAction action, Resource resource) {
    return dispatcher.submit(prepare(action, resource));
  }

  /** Webhooks queued and not yet delivered or given up. */
  public int queuedWebhooks() {
    return dispatcher.queued();
  }

  /**
   * Stops taking webhooks, waits up to {@code timeout} for the queued ones, and stops.
   *
   * @return the webhooks left undelivered; they stay in the outbox
   */
  public List<PendingWebhook> shutdown(Duration timeout) throws InterruptedException {
    List<PendingWebhook> left = dispatcher.shutdown(timeout);
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    return left;
  }

  /** {@link #shutdown} with ten seconds to drain; what is left is logged by id, never by body. */
  @Override
  public void close() {
    try {
      List<PendingWebhook> left = shutdown(Duration.ofSeconds(10));
      if (!left.isEmpty()) {
        LOG.log(
            System.Logger.Level.WARNING,
            () -> left.size() + " webhooks left undelivered at close: " + left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The URL of Fly's authorize page for dashboard sign-in, with {@code client_id}, {@code
   * response_type=code}, {@code redirect_uri}, {@code scope=read} and {@code state}.
   */
  public URI authorizeUrl(String state) {
    Objects.requireNonNull(state, "state == null");
    OAuthSettings oauth = requireOAuth();
    return new AuthorizationRequest.Builder(
            new ResponseType(ResponseType.Value.CODE), new ClientID(oauth.clientId))
        .endpointURI(apiPath("oauth/authorize").uri())
        .redirectionURI(oauth.redirectUri)
        .scope(new Scope("read"))
        .state(new State(state))
        .build()
        .toURI();
  }

  /**
   * Exchanges an authorization code at {@code {fly}/oauth/token}, client secret in the form body.
   *
   * @throws OAuthException if Fly answered an OAuth error, such as {@code invalid_grant}
   * @throws FlyApiException if Fly answered something that is not a token response
   * @throws IOException on a network failure; not retried
   */
  public OAuthTokenResponse exchangeCode(String code) throws IOException {
    Objects.requireNonNull(code, "code == null");
    OAuthSettings oauth = requireOAuth();
    TokenRequest tokenRequest =
        new TokenRequest.Builder(
                apiPath("oauth/token").uri(),
                new ClientSecretPost(new ClientID(oauth.clientId), new Secret(oauth.clientSecret)),
                new AuthorizationCodeGrant(new AuthorizationCode(code), oauth.redirectUri))
            .build();
    HTTPRequest form = tokenRequest.toHTTPRequest();

    Request request =
        new Request.Builder()
            .url(HttpUrl.get(form.getURI()))
            .header("Accept", "application/json")
            .post(RequestBody.create(form.getBody().getBytes(StandardCharsets.UTF_8), FORM))
            .build();
    Answer answer = call(request);

    if (!answer.isJson()) {
      throw answer.unexpected(
          "the token endpoint answered " + answer.describeType() + ", not JSON");
    }
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(answer.toNimbus());
    } catch (ParseException e) {
      throw answer.unexpected("the token endpoint answered JSON that is not a token response", e);
    }
    if (!parsed.indicatesSuccess()) {
      ErrorObject error = parsed.toErrorResponse().getErrorObject();
      if (error == null || error.getCode() == null) {
        throw answer.unexpected("the token endpoint refused without an OAuth error code");
      }
      throw new OAuthException(error.getCode(), error.getDescription(), answer.status);
    }
    try {
      return OAuthTokenResponse.parse(answer.body);
    } catch (ProtocolException e) {
      throw answer.unexpected("the token response is incomplete: " + e.getMessage(), e);
    }
  }

  /**
   * Fetches {@code {fly}/oauth/token/info} for an access token: the user, their organizations and
   * the client the token was issued to.
   *
   * @throws FlyApiException if Fly refused the token or answered something that is not token info
   * @throws IOException on a network failure
   */
  public TokenInfo tokenInfo(String accessToken) throws IOException {
    Objects.requireNonNull(accessToken, "accessToken == null");
    Request request =
        new Request.Builder()
            .url(apiPath("oauth/token/info"))
            .header("Authorization", "Bearer " + accessToken)
            .header("Accept", "application/json")
            .get()
            .build();
    Answer answer = call(request);
    if (answer.status != 200) {
      throw answer.unexpected("Fly refused the access token when asked for token info");
    }
    if (!answer.isJson()) {
      throw answer.unexpected("token info answered " + answer.describeType() + ", not JSON");
    }
    try {
      return TokenInfo.parse(answer.body);
    } catch (ProtocolException e) {
      throw answer.unexpected("token info is not what Fly documents: " + e.getMessage(), e);
    }
  }

  // Webhook attempts, shared by the blocking call and the dispatcher.

  PendingWebhook prepare(WebhookAction action, Resource resource) {
    Objects.requireNonNull(action, "action == null");
    Objects.requireNonNull(resource, "resource == null");
    requireWebhooks();
    return new PendingWebhook(UUID.randomUUID().toString(), action, resource, clock.instant());
  }

  /** One attempt: stamped now with a new nonce, serialized once, signed over those bytes. */
  Attempt attempt(PendingWebhook webhook) {
    return attempt(webhook, call -> {});
  }

  /** One attempt, handing its call to {@code started} so that it can be cancelled. */
  Attempt attempt(PendingWebhook webhook, java.util.function.Consumer<okhttp3.Call> started) {
    byte[] body =
        LifecycleWebhook.create(webhook.action(), webhook.resource(), clock.instant(), webhookUrl())
            .toJson();
    Request request =
        new Request.Builder()
            .url(webhookHttpUrl())
            .header(RequestSigner.SIGNATURE_HEADER, requireWebhooks().sign(body))
            .post(RequestBody.create(body, JSON))
            .build();
    okhttp3.Call call = http.newCall(request);
    started.accept(call);
    try (Response response = call.execute()) {
      int status = response.code();
      if (status >= 200 && status < 300) {
        return Attempt.delivered(status);
      }
      String excerpt = FlyApiException.excerpt(readAtMost(response.body(), 1024));
      String contentType = response.header("Content-Type");

      // rule: 429 and 5xx may pass, so retry them
      if (status == 429 || status >= 500) {
        return Attempt.retry(
            new FlyApiException(
                "Fly answered "
                    + status
                    + " to "
                    + webhook.action()
                    + " for "
                    + webhook.resourceId(),
                status,
                contentType,
                excerpt,
                true,
                null),
            retryAfter(response.header("Retry-After")));
      }
      // rule: any other answer is final
      return Attempt.refused(
          new FlyApiException(
              "Fly refused "
                  + webhook.action()
                  + " for "
                  + webhook.resourceId()
                  + " with "
                  + status
                  + (status == 401 ? "; check the webhook secret" : ""),
              status,
              contentType,
              excerpt,
              false,
              null));
    } catch (IOException e) {
      return Attempt.retry(e, Duration.ZERO);
    }
  }

  private Duration retryAfter(@Nullable String header) {
    if (header == null) {
      return Duration.ZERO;
    }
    String value = header.strip();
    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 10) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    try {
      ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), when.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return Duration.ZERO;
    }
  }

  /** The result of one delivery attempt. */
  static final class Attempt {
    final int status;
    final boolean retryable;
    final Duration retryAfter;
    final @Nullable Exception error;

    private Attempt(int status, boolean retryable, Duration retryAfter, @Nullable Exception error) {
      this.status = status;
      this.retryable = retryable;
      this.retryAfter = retryAfter;
      this.error = error;
    }

    static Attempt delivered(int status) {
      return new Attempt(status, false, Duration.ZERO, null);
    }

    static Attempt retry(Exception error, Duration retryAfter) {
      int status = error instanceof FlyApiException api ? api.status() : 0;
      return new Attempt(status, true, retryAfter, error);
    }

    static Attempt refused(FlyApiException error) {
      return new Attempt(error.status(), false, Duration.ZERO, error);
    }

    boolean delivered() {
      return error == null;
    }

    /**
     * The exception to report once no attempt is left: the refusal as it is, or the last network
     * error wrapped with the number of attempts.
     */
    Exception failure(int attempts) {
      Exception cause = Objects.requireNonNull(error, "a delivered attempt has no failure");
      if (cause instanceof IOException io) {
        return new IOException(
            "webhook not delivered after " + attempts + " attempts: " + io.getMessage(), io);
      }
      return cause;
    }
  }

  private static void sleep(Duration duration) throws InterruptedIOException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry a webhook");
    }
  }

  // Plain calls for OAuth.

  private Answer call(Request request) throws IOException {
    try (Response response = http.newCall(request).execute()) {
      return new Answer(
          response.code(),
          response.header("Content-Type"),
          readCapped(response.body(), MAX_ANSWER_BYTES));
    }
  }

  /** Up to {@code cap} bytes of a body; the rest is discarded when the response closes. */
  private static byte[] readCapped(ResponseBody body, long cap) throws IOException {
    BufferedSource source = body.source();
    source.request(cap);
    Buffer buffer = source.getBuffer();
    return buffer.readByteArray(Math.min(cap, buffer.size()));
  }

  private static String readAtMost(ResponseBody body, long cap) {
    try {
      return new String(readCapped(body, cap), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** One answer from Fly, its body read in full up to a cap. */
  private static final class Answer {
    final int status;
    final @Nullable String contentType;
    final byte[] body;

    Answer(int status, @Nullable String contentType, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }

    boolean isJson() {
      if (contentType == null) {
        return false;
      }
      String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      return type.equals("application/json") || type.endsWith("+json");
    }

    String describeType() {
      return contentType == null ? "no content type" : contentType.split(";", 2)[0].strip();
    }

    HTTPResponse toNimbus() throws ParseException {
      HTTPResponse response = new HTTPResponse(status);
      response.setContentType(contentType);
      response.setBody(new String(body, StandardCharsets.UTF_8));
      return response;
    }

    FlyApiException unexpected(String message) {
      return unexpected(message, null);
    }

    FlyApiException unexpected(String message, @Nullable Throwable cause) {
      return new FlyApiException(
          message + " (status " + status + ")",
          status,
          contentType,
          FlyApiException.excerpt(new String(body, StandardCharsets.UTF_8)),
          status == 429 || status >= 500,
          cause);
    }
  }

  /** A path below the API base URL, keeping the base's own path, as for webhooks. */
  private HttpUrl apiPath(String segments) {
    return apiUrl.newBuilder().addPathSegments(segments).build();
  }

  private HttpUrl webhookHttpUrl() {
    HttpUrl url = webhookUrl;
    if (url == null) {
      throw new IllegalStateException(
          "no provider name: call providerName(...) with the slug Fly assigned to this provider");
    }
    return url;
  }

  private RequestSigner requireWebhooks() {
    webhookHttpUrl();
    if (webhookSigner == null) {
      throw new IllegalStateException(
          "no webhook secret: call webhookSecret(...) with the webhook secret Fly issued");
    }
    return webhookSigner;
  }

  private record OAuthSettings(String clientId, String clientSecret, URI redirectUri) {}

  private OAuthSettings requireOAuth() {
    if (clientId == null || clientSecret == null) {
      throw new IllegalStateException(
          "no OAuth client: call oauthClient(id, secret) with the credentials Fly issued");
    }
    if (redirectUri == null) {
      throw new IllegalStateException(
          "no redirect URI: call redirectUri(...) with the callback registered with Fly");
    }
    return new OAuthSettings(clientId, clientSecret, redirectUri);
  }

  /** Collects a {@link FlyApiClient}; not thread-safe. */
  public static final class Builder {
    private HttpUrl apiUrl = HttpUrl.get(DEFAULT_API_URL);
    private @Nullable String providerName;
    private @Nullable String webhookSecret;
    private @Nullable String clientId;
    private @Nullable String clientSecret;
    private @Nullable URI redirectUri;
    private @Nullable OkHttpClient httpClient;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private RetryPolicy blockingRetry = RetryPolicy.BLOCKING;
    private RetryPolicy queuedRetry = RetryPolicy.QUEUED;
    private WebhookOutbox outbox = InMemoryWebhookOutbox.create();
    private @Nullable BiConsumer<PendingWebhook, Exception> failureListener;

    private Builder() {}

    /** Fly's API base URL; {@value #DEFAULT_API_URL} by default. Replace it for tests. */
    public Builder apiUrl(String apiUrl) {
      Objects.requireNonNull(apiUrl, "apiUrl == null");
      HttpUrl parsed = HttpUrl.parse(apiUrl);
      if (parsed == null) {
        throw new IllegalArgumentException(
            "apiUrl \"" + apiUrl + "\" is not an http or https URL, such as https://api.fly.io");
      }
      this.apiUrl = parsed;
      return this;
    }

    /** The provider's slug assigned by Fly, as in {@code flyctl ext <slug>}. */
    public Builder providerName(String providerName) {
      Objects.requireNonNull(providerName, "providerName == null");
      if (providerName.isBlank() || providerName.contains("/")) {
        throw new IllegalArgumentException(
            "providerName must be Fly's slug for this provider, such as kvstore");
      }
      this.providerName = providerName;
      return this;
    }

    /** The secret webhooks are signed with; not the provisioning secret. */
    public Builder webhookSecret(String webhookSecret) {
      Objects.requireNonNull(webhookSecret, "webhookSecret == null");
      if (webhookSecret.isBlank()) {
        throw new IllegalArgumentException("webhookSecret is blank");
      }
      this.webhookSecret = webhookSecret;
      return this;
    }

    /** The OAuth client credentials Fly issued for dashboard sign-in. */
    public Builder oauthClient(String clientId, String clientSecret) {
      Objects.requireNonNull(clientId, "clientId == null");
      Objects.requireNonNull(clientSecret, "clientSecret == null");
      if (clientId.isBlank() || clientSecret.isBlank()) {
        throw new IllegalArgumentException("OAuth client id and secret must not be blank");
      }
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      return this;
    }

    /** The OAuth redirect URI registered with Fly, byte for byte. */
    public Builder redirectUri(String redirectUri) {
      Objects.requireNonNull(redirectUri, "redirectUri == null");
      URI uri = URI.create(redirectUri);
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "redirectUri \""
                + redirectUri
                + "\" must be absolute, such as"
                + " https://kv.example.com/flyio/oauth/callback");
      }
      this.redirectUri = uri;
      return this;
    }

    /**
     * An OkHttp client to share a pool and dispatcher with; this client derives its own settings
     * from it (no silent retries, no redirects, the timeouts below) and never closes it.
     */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient == null");
      return this;
    }

    /** Connect timeout; 5 s by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Read and write timeout; 10 s by default. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /** Timeout of one whole attempt; 30 s by default. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /** The clock webhook timestamps are taken from; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Retries of {@link FlyApiClient#sendWebhook}; {@link RetryPolicy#BLOCKING} by default. */
    public Builder blockingRetry(RetryPolicy policy) {
      this.blockingRetry = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** Retries of {@link FlyApiClient#enqueueWebhook}; {@link RetryPolicy#QUEUED} by default. */
    public Builder queuedRetry(RetryPolicy policy) {
      this.queuedRetry = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /**
     * Where queued webhooks wait; a bounded {@link InMemoryWebhookOutbox} by default. Webhooks it
     * already holds are resent when the client is built.
     */
    public Builder outbox(WebhookOutbox outbox) {
      this.outbox = Objects.requireNonNull(outbox, "outbox == null");
      return this;
    }

    /**
     * Told of every queued webhook that was given up, on the delivery thread. By default such a
     * webhook is logged at {@code ERROR} under {@code dev.flyext}, by id, action and resource.
     */
    public Builder onWebhookFailure(BiConsumer<PendingWebhook, Exception> listener) {
      this.failureListener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    public FlyApiClient build() {
      return new FlyApiClient(this);
    }

    private static Duration positive(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name + " == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + timeout);
      }
      return timeout;
    }
  }
}
