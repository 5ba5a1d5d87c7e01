package dev.flyext.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyext.BillingPeriod;
import dev.flyext.BillingRecord;
import dev.flyext.DashboardRedirect;
import dev.flyext.DashboardRequest;
import dev.flyext.FlyApiClient;
import dev.flyext.MachineEvent;
import dev.flyext.PatchValue;
import dev.flyext.ProviderException;
import dev.flyext.ProviderHandler;
import dev.flyext.ProvisionRequest;
import dev.flyext.ProvisionResult;
import dev.flyext.Resource;
import dev.flyext.ResourceRequest;
import dev.flyext.ResourceStatus;
import dev.flyext.SignedInUser;
import dev.flyext.UpdateRequest;
import dev.flyext.WebhookAction;
import dev.flyext.WebhookQueueFullException;
import dev.flyext.examples.KvSessions.Session;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The example provider: a key-value service ("kv") whose databases exist only as entries in a
 * catalogue in memory. It shows what each {@link ProviderHandler} method is for; the SDK has
 * already verified every request it sees.
 *
 * <p>A database with read replicas is provisioned asynchronously: provisioning answers at once with
 * the config and status {@code pending}; about a second later the replicas are "ready", and the
 * handler tells Fly with a {@code resource.updated} webhook. Dashboard sign-in ends in a session of
 * the example's own ({@link KvSessions}) that opens the page {@link DashboardServlet} serves.
 *
 * <p>Thread-safe: Fly's calls arrive concurrently, so the catalogue is a concurrent map of
 * immutable entries, changed atomically. {@link #close()} stops the timer of pending databases; it
 * does not close the {@link FlyApiClient}, which its owner closes after it.
 */
final class KvHandler implements ProviderHandler, AutoCloseable {
  /** Where the databases would be served. This example stores no data. */
  static final String DATA_URL = "https://kv.example.test/db/";

  /** How long read replicas take to become ready. */
  static final Duration REPLICA_SETUP = Duration.ofSeconds(1);

  static final String DEFAULT_PLAN = "free";
  static final List<String> PLANS = List.of("free", "pro");
  static final long CENTS_PER_DAY = 3;

  private static final System.Logger LOG = System.getLogger("dev.flyext.examples");
  private static final int RECENT_EVENTS = 100;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One database as the provider records it. */
  private record Database(
      String id,
      String name,
      String organizationId,
      String organizationName,
      String plan,
      ResourceStatus status,
      @Nullable String primaryRegion,
      List<String> readRegions) {

    Database withStatus(ResourceStatus status) {
      return new Database(
          id, name, organizationId, organizationName, plan, status, primaryRegion, readRegions);
    }
  }

  /** What the dashboard page of one extension shows to one browser. */
  sealed interface Dashboard {
    /** The page: who is signed in, and the database as it is now. */
    record Shown(Session session, String organizationName, Resource resource)
        implements Dashboard {}

    /** No live session, or one from before the database changed organization: sign in. */
    record SignedOut() implements Dashboard {}

    /** A live session, but for another extension. */
    record OtherExtension() implements Dashboard {}

    /** The session's extension is gone. */
    record NotFound() implements Dashboard {}
  }

  /** The UTC days a database existed on; {@code lastDay} is null while it still exists. */
  private record Usage(LocalDate firstDay, @Nullable LocalDate lastDay) {}

  private final Clock clock;
  private final @Nullable FlyApiClient fly;
  private final Duration replicaSetup;
  private final KvSessions sessions;
  // Pending databases wait on a timer in memory: a restart leaves them pending.
  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<String, Database> catalogue = new ConcurrentHashMap<>();
  // Usage is kept in memory forever: a real provider keeps it with its billing data.
  private final ConcurrentHashMap<String, Usage> usage = new ConcurrentHashMap<>();
  private final ArrayDeque<MachineEvent> recentEvents = new ArrayDeque<>();

  /**
   * A handler that tells Fly through {@code fly} when a pending database is ready, and whose
   * session cookie is {@code Secure} when {@code publicUrl} is https.
   */
  static KvHandler create(FlyApiClient fly, String publicUrl) {
    boolean https = URI.create(publicUrl).getScheme().toLowerCase(Locale.ROOT).equals("https");
    return new KvHandler(Clock.systemUTC(), fly, https, REPLICA_SETUP);
  }

  /** A handler that sends no webhooks, with cookies for plain http: for tests. */
  KvHandler(Clock clock) {
    this(clock, null, false, REPLICA_SETUP);
  }

  /**
   * @param fly where webhooks go; null sends none
   * @param secureCookies whether the session cookie carries {@code Secure}
   * @param replicaSetup how long a database with read replicas stays pending
   */
  KvHandler(Clock clock, @Nullable FlyApiClient fly, boolean secureCookies, Duration replicaSetup) {
    this.clock = clock;
    this.fly = fly;
    this.replicaSetup = replicaSetup;
    this.sessions = new KvSessions(clock, secureCookies);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "kv-replica-setup");
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public ProvisionResult provision(ProvisionRequest request) {
    // Fly's id is unique, so it can be this provider's id too; Fly uses it in every later call.
    String id = request.id();
    boolean replicas = !request.readRegions().isEmpty();
    Database database =
        new Database(
            id,
            request.name(),
            request.organizationId(),
            request.organizationName(),
            plan(request.options()),
            replicas ? ResourceStatus.PENDING : ResourceStatus.READY,
            request.primaryRegion(),
            request.readRegions());

    catalogue.put(id, database);
    usage.put(id, new Usage(today(), null));

    // Replicas take longer than Fly waits for an answer: answer now, finish in the background.
    if (replicas) {
      timer.schedule(() -> becomeReady(id), replicaSetup.toMillis(), TimeUnit.MILLISECONDS);
    }

    // A real service keeps a hash of the token to check its data calls; this one serves none.
    return ProvisionResult.builder(id)
        .config("KV_URL", DATA_URL + id)
        .config("KV_TOKEN", newToken())
        .build();
  }

  @Override
  public Optional<Resource> get(ResourceRequest request) {
    return Optional.ofNullable(catalogue.get(request.extensionId())).map(KvHandler::resource);
  }

  @Override
  public Resource update(UpdateRequest request) {
    Database updated =
        catalogue.computeIfPresent(request.extensionId(), (id, current) -> apply(request, current));
    if (updated == null) {
      throw ProviderException.notFound("no kv database " + request.extensionId());
    }
    return resource(updated);
  }

  @Override
  public void delete(ResourceRequest request) {
    String id = request.extensionId();
    if (catalogue.remove(id) != null) {
      usage.computeIfPresent(id, (key, used) -> new Usage(used.firstDay(), today()));
    }
    sessions.endAll(id);
  }

  @Override
  public void onMachineEvent(MachineEvent event) {
    synchronized (recentEvents) {
      if (recentEvents.size() == RECENT_EVENTS) {
        recentEvents.removeFirst();
      }
      recentEvents.addLast(event);
    }
    LOG.log(
        Level.INFO,
        "machine event {0}: machine {1} is {2}",
        event.type(),
        event.machineId(),
        event.status());
  }

  @Override
  public List<BillingRecord> billing(BillingPeriod period) {
    LocalDate today = today();
    List<BillingRecord> records = new ArrayList<>();
    usage.forEach(
        (id, used) -> {
          LocalDate lastDay = used.lastDay() != null ? used.lastDay() : today;
          for (LocalDate day = period.from(); !day.isAfter(period.to()); day = day.plusDays(1)) {
            if (!day.isBefore(used.firstDay()) && !day.isAfter(lastDay)) {
              records.add(BillingRecord.ofCents(id, day, CENTS_PER_DAY));
            }
          }
        });
    return records;
  }

  @Override
  public Optional<String> owningOrganization(String extensionId) {
    return Optional.ofNullable(catalogue.get(extensionId)).map(Database::organizationId);
  }

  @Override
  public Optional<URI> existingSession(DashboardRequest request) {
    String id = request.extensionId();
    Dashboard dashboard = dashboard(id, request.cookies());
    return dashboard instanceof Dashboard.Shown ? Optional.of(dashboardPath(id)) : Optional.empty();
  }

  @Override
  public DashboardRedirect signedIn(SignedInUser user) {
    String cookie = sessions.open(user);
    return DashboardRedirect.to(dashboardPath(user.extensionId())).withCookie(cookie);
  }

  /** What the dashboard page of {@code extensionId} shows to a browser sending {@code cookies}. */
  Dashboard dashboard(String extensionId, Map<String, String> cookies) {
    // rule: without a live session, nothing, not even whether the extension exists
    Optional<Session> found = sessions.find(cookies);
    if (found.isEmpty()) {
      return new Dashboard.SignedOut();
    }
    Session session = found.get();
    // rule: a session opens the extension it was signed in for, and no other
    if (!session.extensionId().equals(extensionId)) {
      return new Dashboard.OtherExtension();
    }
    Database database = catalogue.get(extensionId);
    if (database == null) {
      return new Dashboard.NotFound();
    }
    // rule: membership was checked for the organization that owned it then
    if (!database.organizationId().equals(session.organizationId())) {
      return new Dashboard.SignedOut();
    }
    return new Dashboard.Shown(session, database.organizationName(), resource(database));
  }

  /** Where the dashboard of {@code extensionId} is served, relative to the provider's host. */
  static URI dashboardPath(String extensionId) {
    String segment = URLEncoder.encode(extensionId, StandardCharsets.UTF_8).replace("+", "%20");
    return URI.create(ExampleServer.DASHBOARD + "/" + segment);
  }

  /** Stops the timer: databases still pending stay pending. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** The machine events received most recently, oldest first. */
  List<MachineEvent> recentEvents() {
    synchronized (recentEvents) {
      return List.copyOf(recentEvents);
    }
  }

  private static Database apply(UpdateRequest update, Database current) {
    String name = patch(update.name(), current.name());
    if (name == null) {
      throw ProviderException.invalidRequest("name cannot be cleared: a kv database needs one");
    }
    String organizationId = patch(update.organizationId(), current.organizationId());
    if (organizationId == null) {
      throw ProviderException.invalidRequest(
          "organization_id cannot be cleared: a kv database belongs to an organization");
    }

    String plan = plan(update.options(), current.plan());
    String primaryRegion = patch(update.primaryRegion(), current.primaryRegion());
    List<String> readRegions = patch(update.readRegions(), current.readRegions());

    String organizationName = patch(update.organizationName(), current.organizationName());

    return new Database(
        current.id(),
        name,
        organizationId,
        organizationName == null ? organizationId : organizationName,
        plan,
        current.status(),
        primaryRegion,
        readRegions == null ? List.of() : readRegions);
  }

  /** The replicas of {@code id} are up: mark it ready, then tell Fly, which may be polling. */
  private void becomeReady(String id) {
    AtomicBoolean changed = new AtomicBoolean();
    Database ready =
        catalogue.computeIfPresent(
            id,
            (key, database) -> {
              if (database.status() != ResourceStatus.PENDING) {
                return database;
              }
              changed.set(true);
              return database.withStatus(ResourceStatus.READY);
            });
    if (ready == null || !changed.get() || fly == null) {
      return;
    }

    // The client retries in the background and logs a webhook it gives up on.
    try {
      fly.enqueueWebhook(WebhookAction.UPDATED, resource(ready));
    } catch (WebhookQueueFullException | IllegalStateException e) {
      LOG.log(Level.WARNING, "could not tell Fly that {0} is ready: {1}", id, e.getMessage());
    }
  }

  /** The new value when the field was sent, null when it was sent as null, else the current. */
  private static <T> @Nullable T patch(PatchValue<T> field, @Nullable T current) {
    return field.isAbsent() ? current : field.orElse(null);
  }

  /** The plan an update asks for: unchanged unless {@code options.plan} is sent or cleared. */
  private static String plan(PatchValue<JsonNode> options, String current) {
    boolean planAbsent = options.hasValue() && !options.value().has("plan");
    return options.isAbsent() || planAbsent ? current : plan(options.orElse(null));
  }

  /** The plan asked for in {@code options.plan}, or the default when there is none. */
  private static String plan(@Nullable JsonNode options) {
    JsonNode plan = options == null ? null : options.get("plan");
    if (plan == null || plan.isNull()) {
      return DEFAULT_PLAN;
    }
    if (!plan.isTextual() || !PLANS.contains(plan.textValue())) {
      throw ProviderException.invalidRequest(
          "options.plan must be one of " + String.join(", ", PLANS));
    }
    return plan.textValue();
  }

  private static Resource resource(Database database) {
    return Resource.builder(database.id(), database.status())
        .name(database.name())
        .plan(database.plan())
        .primaryRegion(database.primaryRegion())
        .readRegions(database.readRegions())
        .organizationId(database.organizationId())
        .build();
  }

  private LocalDate today() {
    return LocalDate.now(clock);
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return "kvt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
