package dev.flyext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.ProvisionStore.Claim;
import dev.flyext.internal.Hmac;
import dev.flyext.internal.Json;
import dev.flyext.internal.JsonFields;
import dev.flyext.internal.QueryStrings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers Fly's calls to a provider, independent of any web framework: routes the request, enforces
 * the body cap, verifies the signature before parsing, parses from the same bytes, makes
 * provisioning idempotent and calls the {@link ProviderHandler}. Every answer is JSON; a handler is
 * never called for a request that failed verification.
 *
 * <p>Thread-safe; build one per provider and share it. The servlet module mounts it; other
 * frameworks call {@link #handle} with a {@link ProviderRequest}.
 *
 * <p>Never logged: secrets, signatures, bodies, tokens. A handler failure is logged once, at {@code
 * ERROR} under the logger {@code dev.flyext}, with its exception.
 */
public final class ProviderEndpoint {
  /** Largest body read by default: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /** Where billing is served by default, below the public base URL. */
  public static final String DEFAULT_BILLING_PATH = "/billing";

  /** Longest billing period served, in days. */
  public static final int MAX_BILLING_DAYS = 93;

  /** Where Fly sends the browser back after dashboard sign-in, below the public base URL. */
  public static final String DEFAULT_OAUTH_CALLBACK_PATH = "/oauth/callback";

  /** How long a dashboard sign-in may take, from the sso route to the callback. */
  public static final Duration SIGN_IN_TTL = Duration.ofMinutes(10);

  /** How long a repeated provision waits for the first one to finish. */
  public static final Duration DEFAULT_PROVISION_WAIT = Duration.ofSeconds(30);

  private static final System.Logger LOG = System.getLogger("dev.flyext");

  /** How long a machine event id is remembered, by default, to drop Fly's retries of it. */
  public static final Duration DEFAULT_EVENT_WINDOW = Duration.ofHours(1);

  /** How many event ids are remembered at most, by default. */
  public static final int DEFAULT_EVENT_CAPACITY = 1_000_000;

  private final ProviderHandler handler;
  private final SignatureVerifier verifier;
  private final ProvisionStore provisionStore;
  private final InMemoryNonceStore eventIds;
  private final Duration eventWindow;
  private final Clock clock;
  private final int maxBodyBytes;
  private final String billingPath;
  private final boolean requireSignedEvents;
  private final Duration provisionWait;
  private final RequestOutcome.@Nullable Listener listener;
  private final Map<String, ResourceLock> resourceLocks =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final @Nullable Duration handlerTimeout;
  private @Nullable ExecutorService handlerExecutor;
  private final String callbackPath;
  private final @Nullable DashboardSignIn signIn;

  private ProviderEndpoint(Builder builder, SignatureVerifier verifier) {
    this.handler = Objects.requireNonNull(builder.handler);
    this.verifier = verifier;
    this.provisionStore =
        builder.provisionStore != null ? builder.provisionStore : InMemoryProvisionStore.create();
    this.clock = builder.clock;
    this.eventIds = InMemoryNonceStore.create(builder.eventCapacity, builder.clock);
    this.eventWindow = builder.eventWindow;
    this.maxBodyBytes = builder.maxBodyBytes;
    this.billingPath = builder.billingPath;
    this.requireSignedEvents = builder.requireSignedEvents;
    this.provisionWait = builder.provisionWait;
    this.listener = builder.listener;
    this.handlerTimeout = builder.handlerTimeout;
    this.callbackPath = builder.callbackPath;
    if (builder.apiClient == null) {
      this.signIn = null;
    } else {
      String base = verifier.publicBaseUrl();
      URI baseUri = URI.create(base);
      String cookiePath =
          baseUri.getRawPath() == null || baseUri.getRawPath().isEmpty()
              ? "/"
              : baseUri.getRawPath();
      String stateSecret =
          builder.signInStateSecret != null
              ? builder.signInStateSecret
              : DashboardSignIn.randomSecret();
      this.signIn =
          new DashboardSignIn(
              builder.apiClient,
              handler,
              Hmac.sha256(stateSecret),
              SIGN_IN_TTL,
              builder.clock,
              cookiePath,
              "https".equals(baseUri.getScheme()));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The largest body this endpoint reads; adapters may refuse larger ones before reading. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** The public base URL requests are verified against. */
  public String publicBaseUrl() {
    return verifier.publicBaseUrl();
  }

  /**
   * Answers one request. Never throws for anything the caller sent: every refusal is a JSON answer
   * with a fitting status.
   */
  public ProviderResponse handle(ProviderRequest request) {
    long started = System.nanoTime();
    Route route = Route.of(request.routedPath(), billingPath, callbackPath);
    Answer answer;
    try {
      answer = dispatch(request, route);
    } catch (RouteException e) {
      answer = e.answer;
    } catch (SignatureException e) {
      answer = refuseSignature(e);
    } catch (ProtocolException e) {
      answer = Answer.error(400, "invalid_request", e.getMessage());
    } catch (ProviderException e) {
      answer = Answer.error(e.status(), "handler_refused", e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(
          Level.ERROR,
          () ->
              "handler failed on "
                  + request.method()
                  + " "
                  + SafeText.logToken(route.template)
                  + idSuffix(route),
          e);
      answer =
          Answer.error(
              500,
              "handler_failed",
              "the provider failed to handle this request; the failure has been logged");
    }

    if (listener != null) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      try {
        listener.onOutcome(
            new RequestOutcome(
                request.method(), route.template, route.id, answer.status, answer.reason, elapsed));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "request listener threw; ignored", e);
      }
    }
    return answer.response;
  }

  private Answer dispatch(ProviderRequest request, Route route) {
    String method = request.method();
    switch (route.kind) {
      case PROVISION:
        requireMethod(method, "POST");
        return provision(request, route);
      case EVENTS:
        requireMethod(method, "POST");
        return machineEvent(request, route);
      case RESOURCE:
        requireMethod(method, "GET", "PATCH", "DELETE");
        if (method.equals("GET")) {
          return get(request, route);
        }
        return method.equals("PATCH") ? update(request, route) : delete(request, route);
      case SSO:
        requireMethod(method, "GET");
        if (signIn == null || provisionStore.isDeleted(route.id())) {
          return signIn == null
              ? Answer.error(
                  501, "sso_not_configured", "single sign-on is not configured for this provider")
              : notFound(route.id());
        }
        return Answer.of(signIn.start(request, route.id()));
      case CALLBACK:
        requireMethod(method, "GET");
        if (signIn == null) {
          return Answer.error(
              501, "sso_not_configured", "single sign-on is not configured for this provider");
        }
        return Answer.of(signIn.callback(request, callbackQuery(request)));
      case BILLING:
        requireMethod(method, "GET");
        return billing(request, route);
      case UNKNOWN:
      default:
        throw new RouteException(
            Answer.error(
                404, "unknown_route", "no such route; see docs/protocol.md for the routes"));
    }
  }

  private Answer provision(ProviderRequest request, Route route) {
    byte[] body = readJsonBody(request);
    ObjectNode json =
        verifier.verifyBody(request.headers(RequestSigner.SIGNATURE_HEADER), body, route.path);
    ProvisionRequest provision = ProvisionRequest.from(json);
    if (provisionStore.isDeleted(provision.id())) {
      throw new RouteException(
          Answer.error(
              409,
              "extension_deleted",
              "extension " + provision.id() + " was deleted; Fly gives a new extension a new id"));
    }

    Duration wait =
        handlerTimeout != null && handlerTimeout.compareTo(provisionWait) < 0
            ? handlerTimeout
            : provisionWait;
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Claim claim = provisionStore.claim(provision.id());
      switch (claim.state()) {
        case COMPLETED:
          return Answer.ok(Objects.requireNonNull(claim.result()).toJson());
        case ACQUIRED:
          return provisionUnderLock(provision);
        case IN_PROGRESS:
        default:
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            throw new RouteException(
                Answer.error(
                        503,
                        "provisioning_in_progress",
                        "provisioning of "
                            + provision.id()
                            + " is still in progress; retry shortly")
                    .withHeader("Retry-After", "5"));
          }
          Optional<ProvisionResult> result = awaitOther(provision.id(), remaining);
          if (result.isPresent()) {
            return Answer.ok(result.get().toJson());
          }
      }
    }
  }

  private ProvisionResult provisionOnce(ProvisionRequest request) {
    boolean completed = false;
    try {
      ProvisionResult result = handler.provision(request);
      if (result == null) {
        throw new IllegalStateException("ProviderHandler.provision returned null");
      }
      provisionStore.complete(request.id(), result);
      completed = true;
      return result;
    } finally {
      if (!completed) {
        provisionStore.release(request.id());
      }
    }
  }

  /**
   * Calls the handler, within {@code handlerTimeout} when one is set. Past it the caller gets 503
   * while the call runs on; a provision that finishes late still stores its answer, so Fly's retry
   * gets it, and a resource's lock is held until its late call ends.
   */
  private <T> T withTimeout(Callable<T> call, @Nullable Lease lease) {
    if (handlerTimeout == null) {
      try {
        return call.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("handler call failed", e);
      }
    }
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      handlerThreads()
          .execute(
              () -> {
                try {
                  future.complete(call.call());
                } catch (Throwable t) {
                  future.completeExceptionally(t);
                }
              });
    } catch (RejectedExecutionException e) {
      throw new RouteException(
          Answer.error(503, "handler_busy", "the provider is busy; retry later")
              .withHeader("Retry-After", "5"));
    }
    try {
      return future.get(handlerTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (lease != null) {
        lease.holdUntil(future);
      }
      throw new RouteException(
          Answer.error(
                  503,
                  "handler_timeout",
                  "the provider did not answer within "
                      + handlerTimeout.toMillis()
                      + " ms; retry later")
              .withHeader("Retry-After", "5"));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("handler call failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.unavailable("interrupted while waiting for the provider");
    }
  }

  /** At most 64 handler calls run past their timeout at once; more are refused with 503. */
  private synchronized ExecutorService handlerThreads() {
    if (handlerExecutor == null) {
      AtomicInteger count = new AtomicInteger();
      handlerExecutor =
          new ThreadPoolExecutor(
              0,
              64,
              60,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              task -> {
                Thread thread = new Thread(task, "flyext-handler-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
    }
    return handlerExecutor;
  }

  /** The right to change one resource; released when the work, or its late handler call, ends. */
  private static final class Lease {
    private final Runnable release;
    private @Nullable CompletableFuture<?> late;

    Lease(Runnable release) {
      this.release = release;
    }

    void holdUntil(CompletableFuture<?> call) {
      this.late = call;
    }

    void release() {
      if (late == null) {
        release.run();
      } else {
        late.whenComplete((result, failure) -> release.run());
      }
    }
  }

  private Optional<ProvisionResult> awaitOther(String flyId, long remainingNanos) {
    try {
      return provisionStore.awaitCompletion(flyId, Duration.ofNanos(remainingNanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.unavailable("interrupted while waiting for provisioning");
    }
  }

  private Answer get(ProviderRequest request, Route route) {
    ResourceRequest resourceRequest = resourceRequest(request, route);
    if (provisionStore.isDeleted(route.id())) {
      return notFound(route.id());
    }
    Optional<Resource> resource;
    try {
      resource = withTimeout(() -> handler.get(resourceRequest), null);
    } catch (ProviderException e) {
      if (e.status() == 404) {
        return notFound(route.id());
      }
      throw e;
    }
    if (resource == null) {
      throw new IllegalStateException("ProviderHandler.get returned null instead of empty");
    }
    return resource.map(r -> Answer.ok(r.toJson())).orElseGet(() -> notFound(route.id()));
  }

  private Answer update(ProviderRequest request, Route route) {
    byte[] body = readJsonBody(request);
    ObjectNode json =
        verifier.verifyBody(request.headers(RequestSigner.SIGNATURE_HEADER), body, route.path);
    UpdateRequest update = UpdateRequest.from(route.id(), json);
    return underResourceLock(
        route.id(),
        lease -> {
          if (provisionStore.isDeleted(route.id())) {
            return notFound(route.id());
          }
          Resource resource = withTimeout(() -> handler.update(update), lease);
          if (resource == null) {
            throw new IllegalStateException("ProviderHandler.update returned null");
          }
          return Answer.ok(resource.toJson());
        });
  }

  /**
   * Runs an update or delete of one resource while no other update or delete of it runs, so a
   * handler never sees the two interleaved. Waits at most {@code provisionWait}, then answers 409.
   */
  private Answer underResourceLock(String id, Function<Lease, Answer> work) {
    Lease lease = acquire(id);
    try {
      return work.apply(lease);
    } finally {
      lease.release();
    }
  }

  /**
   * Provisions with the resource's lock held, so a delete that arrives meanwhile waits for the
   * resource to exist and then removes it, rather than leaving it behind.
   */
  private Answer provisionUnderLock(ProvisionRequest provision) {
    Lease lease;
    try {
      lease = acquire(provision.id());
    } catch (RuntimeException e) {
      provisionStore.release(provision.id());
      throw e;
    }
    try {
      if (provisionStore.isDeleted(provision.id())) {
        provisionStore.release(provision.id());
        throw new RouteException(
            Answer.error(
                409,
                "extension_deleted",
                "extension "
                    + provision.id()
                    + " was deleted; Fly gives a new extension a new id"));
      }
      return Answer.ok(withTimeout(() -> provisionOnce(provision), lease).toJson());
    } finally {
      lease.release();
    }
  }

  /** Takes the lock of one resource id, waiting at most {@code provisionWait}. */
  private Lease acquire(String id) {
    ResourceLock lock =
        resourceLocks.compute(
            id, (key, existing) -> existing == null ? new ResourceLock() : existing.retain());
    boolean acquired;
    try {
      acquired = lock.permit.tryAcquire(provisionWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      forget(id, lock);
      throw ProviderException.unavailable("interrupted while waiting for another change");
    }
    if (!acquired) {
      forget(id, lock);
      throw new RouteException(
          Answer.error(
              409,
              "change_in_progress",
              "another change to this extension is still in progress; retry shortly"));
    }
    return new Lease(
        () -> {
          lock.permit.release();
          forget(id, lock);
        });
  }

  private void forget(String id, ResourceLock lock) {
    resourceLocks.computeIfPresent(id, (key, existing) -> existing.releaseReference());
  }

  /** One resource's lock, kept in the map while anyone holds or waits for it. */
  private static final class ResourceLock {
    final Semaphore permit = new Semaphore(1);
    private int references = 1;

    ResourceLock retain() {
      references++;
      return this;
    }

    @Nullable ResourceLock releaseReference() {
      references--;
      return references == 0 ? null : this;
    }
  }

  private Answer delete(ProviderRequest request, Route route) {
    ResourceRequest resourceRequest = resourceRequest(request, route);
    return underResourceLock(
        route.id(),
        lease -> {
          if (!provisionStore.isDeleted(route.id())) {
            // The mark is part of the call, so a delete that finishes late still counts.
            withTimeout(
                () -> {
                  try {
                    handler.delete(resourceRequest);
                  } catch (ProviderException e) {
                    // rule: an unknown id is already gone, and Fly retries deletes
                    if (e.status() != 404) {
                      throw e;
                    }
                  }
                  provisionStore.markDeleted(route.id());
                  return Boolean.TRUE;
                },
                lease);
          }
          return Answer.ok(
              Json.write(
                  json -> {
                    json.writeStartObject();
                    json.writeStringField("id", route.id());
                    json.writeBooleanField("deleted", true);
                    json.writeEndObject();
                  }));
        });
  }

  private ResourceRequest resourceRequest(ProviderRequest request, Route route) {
    Map<String, String> parameters =
        verifier.verifyQuery(
            request.headers(RequestSigner.SIGNATURE_HEADER), request.rawQuery(), route.path);
    Instant timestamp = Instant.ofEpochSecond(Long.parseLong(parameters.get("timestamp")));
    return new ResourceRequest(route.id(), parameters, timestamp);
  }

  private Answer machineEvent(ProviderRequest request, Route route) {
    byte[] body = readJsonBody(request);
    List<String> signatures = request.headers(RequestSigner.SIGNATURE_HEADER);
    ObjectNode json;
    if (signatures.isEmpty() && !requireSignedEvents) {
      json = JsonFields.parseObject(body, "machine event");
    } else {
      json = verifier.verifyEventBody(signatures, body, route.path);
    }
    MachineEvent event = parseEvent(request, json);

    // rule: one event id is delivered once within the de-duplication window
    String key = "event:" + event.id();
    switch (eventIds.record(key, clock.instant().plus(eventWindow))) {
      case REPLAYED:
        return Answer.ok(eventAnswer(event.id(), true));
      case FULL:
        throw new RouteException(
            Answer.error(
                    503,
                    "event_store_full",
                    "too many machine events in the de-duplication window; retry later")
                .withHeader("Retry-After", "30"));
      case ACCEPTED:
      default:
        break;
    }

    boolean delivered = false;
    try {
      handler.onMachineEvent(event);
      delivered = true;
    } finally {
      if (!delivered) {
        // A failed event must not count as seen, or Fly's retry would be dropped.
        eventIds.forget(key);
      }
    }
    return Answer.ok(eventAnswer(event.id(), false));
  }

  private static Map<String, String> callbackQuery(ProviderRequest request) {
    try {
      return QueryStrings.parse(request.rawQuery() == null ? "" : request.rawQuery());
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("the sign-in callback query is malformed: " + e.getMessage());
    }
  }

  private static byte[] eventAnswer(String id, boolean duplicate) {
    return Json.write(
        json -> {
          json.writeStartObject();
          json.writeStringField("id", id);
          json.writeBooleanField("duplicate", duplicate);
          json.writeEndObject();
        });
  }

  private static MachineEvent parseEvent(ProviderRequest request, ObjectNode json) {
    JsonFields fields = JsonFields.of(json, "machine event");
    String ceId = request.header("ce-id");
    JsonNode data = fields.raw("data");
    if (ceId != null) {
      String type = request.header("ce-type");
      if (type == null || type.isBlank()) {
        throw new ProtocolException("CloudEvent header ce-type is required", "ce-type", null);
      }
      return new MachineEvent(
          boundedId(ceId, "ce-id"),
          type,
          fields.optionalString("machine_id"),
          fields.optionalString("status"),
          request.header("ce-source"),
          cloudEventTime(request.header("ce-time")),
          data,
          MachineEvent.Format.CLOUD_EVENT);
    }
    return new MachineEvent(
        boundedId(fields.requiredNonEmptyString("id"), "id"),
        fields.requiredNonEmptyString("type"),
        fields.optionalString("machine_id"),
        fields.optionalString("status"),
        null,
        fields.optionalTimestamp("timestamp"),
        data,
        MachineEvent.Format.LEGACY);
  }

  private static String boundedId(String id, String field) {
    if (id.length() > ExtensionIds.MAX_LENGTH) {
      throw new ProtocolException(
          "machine event " + field + " is longer than " + ExtensionIds.MAX_LENGTH + " characters",
          field,
          null);
    }
    return id;
  }

  private static @Nullable Instant cloudEventTime(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new ProtocolException(
          "CloudEvent header ce-time must be an RFC 3339 time such as 2026-12-01T10:00:00Z",
          "ce-time",
          e);
    }
  }

  private Answer billing(ProviderRequest request, Route route) {
    Map<String, String> parameters =
        verifier.verifyQuery(
            request.headers(RequestSigner.SIGNATURE_HEADER), request.rawQuery(), route.path);
    LocalDate from = billingDate(parameters, "from");
    LocalDate to = billingDate(parameters, "to");
    // rule: a period that ends before it starts is the caller's mistake, a 400
    if (to.isBefore(from)) {
      throw new ProtocolException(
          "billing query parameter `to` (" + to + ") is before `from` (" + from + ")", "to", null);
    }
    BillingPeriod period = new BillingPeriod(from, to);
    if (period.days() > MAX_BILLING_DAYS) {
      throw new ProtocolException(
          "billing period covers " + period.days() + " days; ask for at most " + MAX_BILLING_DAYS,
          "to",
          null);
    }

    List<BillingRecord> records = handler.billing(period);
    if (records == null) {
      throw new IllegalStateException("ProviderHandler.billing returned null");
    }
    List<BillingRecord> checked = new ArrayList<>(records.size());
    for (BillingRecord record : records) {
      if (record == null || !period.contains(record.date())) {
        throw new IllegalStateException(
            "ProviderHandler.billing returned a record outside "
                + period.from()
                + ".."
                + period.to());
      }
      checked.add(record);
    }
    return Answer.ok(
        Json.write(
            json -> {
              json.writeStartObject();
              json.writeStringField("from", period.from().toString());
              json.writeStringField("to", period.to().toString());
              json.writeArrayFieldStart("records");
              for (BillingRecord record : checked) {
                json.writeStartObject();
                json.writeStringField("extension_id", record.extensionId());
                json.writeStringField("date", record.date().toString());
                json.writeNumberField("amount", record.amount());
                json.writeStringField("currency", record.currency());
                if (record.description() != null) {
                  json.writeStringField("description", record.description());
                }
                json.writeEndObject();
              }
              json.writeEndArray();
              json.writeEndObject();
            }));
  }

  private static LocalDate billingDate(Map<String, String> parameters, String name) {
    String value = parameters.get(name);
    if (value == null) {
      throw new ProtocolException(
          "billing query parameter `" + name + "` is required, as YYYY-MM-DD", name, null);
    }
    try {
      if (!value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
        throw new DateTimeParseException("not YYYY-MM-DD", value, 0);
      }
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new ProtocolException(
          "billing query parameter `" + name + "` must be a date as YYYY-MM-DD", name, e);
    }
  }

  /** Reads the body once, as bytes, refusing what is not JSON or is over the cap. */
  private byte[] readJsonBody(ProviderRequest request) {
    String contentType = request.header("Content-Type");
    if (contentType != null && !isJson(contentType)) {
      throw new RouteException(
          Answer.error(
              415,
              "unsupported_media_type",
              "send the body as application/json in UTF-8; got another content type"));
    }
    // rule: the signature is over the bytes as sent, so no transfer coding may stand between
    String encoding = request.header("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      throw new RouteException(
          Answer.error(
              415,
              "unsupported_media_type",
              "Content-Encoding "
                  + SafeText.token(encoding)
                  + " is not accepted; send the body uncompressed, as signed"));
    }
    if (request.contentLength() > maxBodyBytes) {
      throw new RouteException(tooLarge());
    }
    byte[] body;
    try {
      body = readBody(request.body(), request.contentLength());
    } catch (IOException e) {
      throw new RouteException(
          Answer.error(400, "unreadable_body", "the request body could not be read completely"));
    }
    if (body.length > maxBodyBytes) {
      throw new RouteException(tooLarge());
    }

    // rule: Fly always sends a body here, so an empty one was most likely read before us
    if (body.length == 0) {
      throw new RouteException(
          Answer.error(
              400,
              "body_consumed",
              "the request body is empty; Fly always sends JSON here. If a filter reads the body,"
                  + " mount the servlet where it does not"));
    }

    // rule: fewer bytes than declared means someone read the body before us
    if (request.contentLength() > 0 && body.length < request.contentLength()) {
      throw new RouteException(
          Answer.error(
              400,
              "body_consumed",
              "the body ended after "
                  + body.length
                  + " of "
                  + request.contentLength()
                  + " declared bytes; if a filter reads the body, mount the servlet where it"
                  + " does not"));
    }
    return body;
  }

  private Answer tooLarge() {
    return Answer.error(
        413, "body_too_large", "the request body is larger than " + maxBodyBytes + " bytes");
  }

  /**
   * Reads the declared length when there is one, else up to the cap and a byte more. A declared
   * length sizes the array once; reading up to the cap would fill and copy 8 KiB chunks.
   */
  private byte[] readBody(InputStream in, long declared) throws IOException {
    if (declared >= 0 && declared <= maxBodyBytes) {
      return in.readNBytes((int) declared);
    }
    return in.readNBytes(maxBodyBytes + 1);
  }

  static boolean isJson(String contentType) {
    String[] parts = contentType.split(";");
    String type = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")
        && !(type.startsWith("application/") && type.endsWith("+json"))) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("charset=")) {
        String charset = parameter.substring(8).replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  private static void requireMethod(String method, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(method)) {
        return;
      }
    }
    String allow = String.join(", ", allowed) + ", OPTIONS";

    // rule: OPTIONS says what the route allows; anything else not allowed is a 405
    if (method.equals("OPTIONS")) {
      byte[] body =
          Json.write(
              json -> {
                json.writeStartObject();
                json.writeStringField("allow", allow);
                json.writeEndObject();
              });
      throw new RouteException(
          new Answer(ProviderResponse.json(200, body, Map.of("Allow", List.of(allow))), 200, null));
    }
    throw new RouteException(
        Answer.error(
                405,
                "method_not_allowed",
                SafeText.token(method) + " is not allowed here; use " + allow)
            .withHeader("Allow", allow));
  }

  private static Answer notFound(String id) {
    return Answer.error(
        404, "not_found", "no extension " + SafeText.token(id) + " at this provider");
  }

  private static Answer refuseSignature(SignatureException e) {
    SignatureException.Reason reason = e.reason();
    byte[] body =
        Json.write(
            json -> {
              json.writeStartObject();
              json.writeStringField("error", e.getMessage());
              json.writeStringField("reason", reason.code());
              json.writeStringField("docs", reason.troubleshootingUrl());
              json.writeEndObject();
            });
    Map<String, List<String>> headers =
        reason.status() == 503 ? Map.of("Retry-After", List.of("5")) : Map.of();
    return new Answer(
        ProviderResponse.json(reason.status(), body, headers), reason.status(), reason.code());
  }

  private static String idSuffix(Route route) {
    return route.id == null ? "" : " for " + SafeText.logToken(route.id);
  }

  /** A response together with what the request log says of it. */
  private static final class Answer {
    final ProviderResponse response;
    final int status;
    final @Nullable String reason;

    Answer(ProviderResponse response, int status, @Nullable String reason) {
      this.response = response;
      this.status = status;
      this.reason = reason;
    }

    static Answer of(DashboardSignIn.Result result) {
      Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
      headers.put("Content-Type", List.of(ProviderResponse.JSON_UTF8));
      headers.put("Cache-Control", List.of("no-store"));
      headers.put("X-Content-Type-Options", List.of("nosniff"));
      headers.put("Referrer-Policy", List.of("no-referrer"));
      headers.putAll(result.headers());
      return new Answer(
          new ProviderResponse(result.status(), headers, result.body()),
          result.status(),
          result.reason());
    }

    static Answer ok(byte[] body) {
      return new Answer(ProviderResponse.json(200, body), 200, null);
    }

    static Answer error(int status, String reason, @Nullable String message) {
      String text = message == null || message.isBlank() ? "request refused" : message;
      byte[] body =
          Json.write(
              json -> {
                json.writeStartObject();
                json.writeStringField("error", text);
                json.writeStringField("reason", reason);
                json.writeEndObject();
              });
      return new Answer(ProviderResponse.json(status, body), status, reason);
    }

    Answer withHeader(String name, String value) {
      Map<String, List<String>> headers = new java.util.LinkedHashMap<>(response.headers());
      headers.put(name, List.of(value));
      return new Answer(new ProviderResponse(status, headers, response.body()), status, reason);
    }
  }

  /** Ends dispatch early with a ready answer (404, 405, 413, 415). */
  private static final class RouteException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Answer answer;

    RouteException(Answer answer) {
      super(null, null, false, false);
      this.answer = answer;
    }
  }

  /** A routed path, matched against the routes Fly calls. */
  private static final class Route {
    enum Kind {
      PROVISION,
      EVENTS,
      RESOURCE,
      SSO,
      CALLBACK,
      BILLING,
      UNKNOWN
    }

    final Kind kind;
    final String template;
    final String path;
    final @Nullable String id;

    private Route(Kind kind, String template, String path, @Nullable String id) {
      this.kind = kind;
      this.template = template;
      this.path = path;
      this.id = id;
    }

    String id() {
      return Objects.requireNonNull(id);
    }

    static Route of(String rawPath, String billingPath, String callbackPath) {
      String path = rawPath.isEmpty() ? "/" : rawPath;
      // One trailing slash names the same route, as the signed url check already treats it.
      if (path.length() > 1 && path.endsWith("/") && !path.endsWith("//")) {
        path = path.substring(0, path.length() - 1);
      }
      if (path.equals(billingPath)) {
        return new Route(Kind.BILLING, billingPath, path, null);
      }
      if (path.equals(callbackPath)) {
        return new Route(Kind.CALLBACK, callbackPath, path, null);
      }
      String[] segments = path.substring(1).split("/", -1);
      if (segments.length >= 1 && segments[0].equals("extensions")) {
        if (segments.length == 1) {
          return new Route(Kind.PROVISION, "/extensions", path, null);
        }
        if (segments.length == 2 && segments[1].equals("events")) {
          return new Route(Kind.EVENTS, "/extensions/events", path, null);
        }
        String id = decodeId(segments[1]);
        if (id != null && segments.length == 2) {
          return new Route(Kind.RESOURCE, "/extensions/{id}", path, id);
        }
        if (id != null && segments.length == 3 && segments[2].equals("sso")) {
          return new Route(Kind.SSO, "/extensions/{id}/sso", path, id);
        }
      }
      String shown = path.length() > 200 ? path.substring(0, 200) : path;
      return new Route(Kind.UNKNOWN, shown, path, null);
    }

    private static @Nullable String decodeId(String segment) {
      if (segment.isEmpty() || segment.length() > ExtensionIds.MAX_LENGTH * 3) {
        return null;
      }
      String id;
      try {
        id = QueryStrings.decodePathSegment(segment, "extension id");
      } catch (IllegalArgumentException e) {
        return null;
      }
      return ExtensionIds.problem(id) == null ? id : null;
    }
  }

  /** Collects a {@link ProviderEndpoint}; not thread-safe. */
  public static final class Builder {
    private @Nullable ProviderHandler handler;
    private final SignatureVerifier.Builder verifier = SignatureVerifier.builder();
    private boolean hasSecret;
    private boolean hasBaseUrl;
    private @Nullable ProvisionStore provisionStore;
    private Clock clock = Clock.systemUTC();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private String billingPath = DEFAULT_BILLING_PATH;
    private boolean requireSignedEvents = true;
    private Duration provisionWait = DEFAULT_PROVISION_WAIT;
    private RequestOutcome.@Nullable Listener listener;
    private String callbackPath = DEFAULT_OAUTH_CALLBACK_PATH;
    private @Nullable Duration handlerTimeout;
    private Duration eventWindow = DEFAULT_EVENT_WINDOW;
    private int eventCapacity = DEFAULT_EVENT_CAPACITY;
    private @Nullable FlyApiClient apiClient;
    private @Nullable String signInStateSecret;

    private Builder() {}

    /**
     * Enables dashboard sign-in through Fly's OAuth, with {@code client} for the authorize URL, the
     * code exchange and token info. Its redirect URI must lead to {@link #oauthCallbackPath} below
     * the public base URL. The handler's {@code owningOrganization}, {@code existingSession} and
     * {@code signedIn} then serve {@code /extensions/{id}/sso}.
     */
    public Builder dashboardSignIn(FlyApiClient client) {
      this.apiClient = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /**
     * The key that signs sign-in state cookies. By default a random key per process, so a sign-in
     * must finish on the replica that started it; give every replica the same secret otherwise.
     */
    public Builder signInStateSecret(String secret) {
      Objects.requireNonNull(secret, "secret == null");
      if (secret.length() < 32) {
        throw new IllegalArgumentException("signInStateSecret needs at least 32 characters");
      }
      this.signInStateSecret = secret;
      return this;
    }

    /**
     * Where the OAuth callback is served below the base URL; {@code /oauth/callback} by default.
     */
    public Builder oauthCallbackPath(String callbackPath) {
      this.callbackPath = routePath(callbackPath, "oauthCallbackPath");
      return this;
    }

    /** Refuses a sign-in set-up that could never work, at build time rather than per request. */
    private void checkSignIn(FlyApiClient client, SignatureVerifier built) {
      if (!client.hasOAuthClient()) {
        throw new IllegalStateException(
            "the FlyApiClient given to dashboardSignIn has no OAuth client: build it with"
                + " oauthClient(id, secret) and redirectUri(...)");
      }
      String expected = built.expectedUrl(callbackPath);
      URI redirect = Objects.requireNonNull(client.redirectUri());
      if (!dev.flyext.internal.PublicUrls.parse(built.publicBaseUrl())
          .matches(redirect.toString(), callbackPath)) {
        throw new IllegalStateException(
            "the FlyApiClient's redirect URI is "
                + redirect
                + " but this endpoint serves the sign-in callback at "
                + expected
                + "; register that URI with Fly and give it to redirectUri(...), or change"
                + " oauthCallbackPath");
      }
    }

    /** A configurable route: below the base URL, outside Fly's {@code /extensions} routes. */
    private static String routePath(String path, String name) {
      Objects.requireNonNull(path, name + " == null");
      if (!path.startsWith("/")
          || path.startsWith("/extensions")
          || path.length() < 2
          || path.endsWith("/")) {
        throw new IllegalArgumentException(
            name
                + " must start with /, not end with /, and not lie under /extensions, was "
                + path);
      }
      return path;
    }

    /** The provider's implementation of Fly's calls. Required. */
    public Builder handler(ProviderHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler == null");
      return this;
    }

    /**
     * A provisioning secret requests may be signed with. Required; call it once per secret while
     * rotating, and a request signed with any of them is accepted.
     */
    public Builder provisioningSecret(String secret) {
      if (secret == null) {
        throw new NullPointerException(
            "provisioningSecret is null: pass the secret Fly issued, for example from the"
                + " FLY_PROVISIONING_SECRET environment variable, and check that it is set");
      }
      verifier.secret(secret);
      hasSecret = true;
      return this;
    }

    /**
     * The base URL Fly signs requests for, as registered with Fly, such as {@code
     * https://kv.example.com/flyio}. Required. Behind a proxy, this is the public URL, not what the
     * container sees.
     */
    public Builder publicBaseUrl(String publicBaseUrl) {
      if (publicBaseUrl == null) {
        throw new NullPointerException(
            "publicBaseUrl is null: pass the base URL registered with Fly, such as"
                + " https://kv.example.com/flyio, and check the variable it comes from is set");
      }
      verifier.publicBaseUrl(publicBaseUrl);
      hasBaseUrl = true;
      return this;
    }

    /** The clock for freshness checks; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      verifier.clock(clock);
      return this;
    }

    /** How old a signed timestamp may be; 300 s by default. */
    public Builder maxAge(Duration maxAge) {
      verifier.maxAge(maxAge);
      return this;
    }

    /** How far in the future a signed timestamp may be; 60 s by default. */
    public Builder maxFutureSkew(Duration maxFutureSkew) {
      verifier.maxFutureSkew(maxFutureSkew);
      return this;
    }

    /** Where nonces are remembered; in memory by default. Several replicas need a shared one. */
    public Builder nonceStore(NonceStore nonceStore) {
      verifier.nonceStore(nonceStore);
      return this;
    }

    /** Where provisioning answers are remembered; in memory by default. */
    public Builder provisionStore(ProvisionStore provisionStore) {
      this.provisionStore = Objects.requireNonNull(provisionStore, "provisionStore == null");
      return this;
    }

    /** Largest body accepted, in bytes; 1 MiB by default. Larger bodies get 413. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1024 || maxBodyBytes > 64 << 20) {
        throw new IllegalArgumentException(
            "maxBodyBytes must be between 1 KiB and 64 MiB, was " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Where billing is served below the base URL; {@code /billing} by default. */
    public Builder billingPath(String billingPath) {
      this.billingPath = routePath(billingPath, "billingPath");
      return this;
    }

    /**
     * Whether machine events must carry a valid signature; true by default. When false, an unsigned
     * event is accepted, and a signed one is still verified.
     */
    public Builder requireSignedEvents(boolean requireSignedEvents) {
      this.requireSignedEvents = requireSignedEvents;
      return this;
    }

    /** How long a repeated provision waits for a concurrent first one; 30 s by default. */
    public Builder provisionWait(Duration provisionWait) {
      Objects.requireNonNull(provisionWait, "provisionWait == null");
      if (provisionWait.isNegative()) {
        throw new IllegalArgumentException("provisionWait is negative");
      }
      this.provisionWait = provisionWait;
      return this;
    }

    /**
     * Answers 503 when a handler call takes longer than {@code timeout}; off by default. With a
     * timeout, handler calls run on the endpoint's own threads, not the container's, so thread
     * locals of the request (a tracing context, a security context) are not visible to them.
     */
    public Builder handlerTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("handlerTimeout must be positive, was " + timeout);
      }
      this.handlerTimeout = timeout;
      return this;
    }

    /**
     * How machine events are de-duplicated: an event id seen within {@code window} is answered as a
     * duplicate without reaching the handler; at most {@code capacity} ids are remembered, and past
     * that events are refused with 503 rather than delivered twice. One hour and 1,000,000 by
     * default.
     */
    public Builder eventDeduplication(Duration window, int capacity) {
      Objects.requireNonNull(window, "window == null");
      if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(7)) > 0) {
        throw new IllegalArgumentException(
            "event window must be between 1 s and 7 days, was " + window);
      }
      if (capacity < 1) {
        throw new IllegalArgumentException("event capacity must be at least 1, was " + capacity);
      }
      this.eventWindow = window;
      this.eventCapacity = capacity;
      return this;
    }

    /** Receives one {@link RequestOutcome} per request, for a request log. */
    public Builder requestListener(RequestOutcome.Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    /** Also accepts base64 signatures; off by default, as Fly sends hex. */
    public Builder acceptBase64Signatures() {
      verifier.acceptBase64Signatures();
      return this;
    }

    /**
     * @throws IllegalStateException naming the missing setting
     */
    public ProviderEndpoint build() {
      if (handler == null) {
        throw new IllegalStateException("no handler: call handler(...) with your ProviderHandler");
      }
      if (!hasSecret) {
        throw new IllegalStateException(
            "no provisioning secret: call provisioningSecret(...) with the secret Fly issued");
      }
      if (!hasBaseUrl) {
        throw new IllegalStateException(
            "no public base URL: call publicBaseUrl(...) with the URL registered with Fly,"
                + " such as https://kv.example.com/flyio");
      }
      if (billingPath.equals(callbackPath)) {
        throw new IllegalStateException(
            "billingPath and oauthCallbackPath are both "
                + billingPath
                + "; give them different paths");
      }
      SignatureVerifier built = verifier.build();
      if (apiClient != null) {
        checkSignIn(apiClient, built);
      }
      return new ProviderEndpoint(this, built);
    }
  }
}
