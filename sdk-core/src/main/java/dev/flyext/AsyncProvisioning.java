package dev.flyext;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Provisioning that takes longer than Fly waits (about five seconds): answer Fly at once, finish in
 * the background, report {@code pending} until then, and tell Fly with a {@code resource.updated}
 * webhook when the resource is ready, or failed.
 *
 * <pre>{@code
 * public ProvisionResult provision(ProvisionRequest request) {
 *   Credentials credentials = credentials.create(request.id());
 *   async.start(Resource.builder(request.id(), ResourceStatus.PENDING).name(request.name()).build(),
 *       () -> databases.createReplicas(request)); // answers the READY resource
 *   return ProvisionResult.builder(request.id()).config("KV_URL", credentials.url()).build();
 * }
 *
 * public Optional<Resource> get(ResourceRequest request) {
 *   return async.status(request.extensionId()).or(() -> databases.find(request.extensionId()));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Work that throws {@link ProviderException} ends in {@link ResourceStatus#ERROR}
 * with its message; any other exception ends in {@code ERROR} with a generic message and is logged.
 * The state of each resource is kept in memory until {@link #forget}: forget it once your own store
 * has the finished resource, and on delete.
 */
public final class AsyncProvisioning implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.flyext");

  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final @Nullable FlyApiClient webhooks;
  private final Map<String, Resource> states = new ConcurrentHashMap<>();

  private AsyncProvisioning(
      ExecutorService executor, boolean ownsExecutor, @Nullable FlyApiClient webhooks) {
    this.executor = executor;
    this.ownsExecutor = ownsExecutor;
    this.webhooks = webhooks;
  }

  /**
   * Runs work on two daemon threads of its own and reports the outcome through {@code webhooks}
   * (null: no webhook, status only).
   */
  public static AsyncProvisioning create(@Nullable FlyApiClient webhooks) {
    AtomicInteger count = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "flyext-provisioning-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    return new AsyncProvisioning(executor, true, webhooks);
  }

  /** Runs work on {@code executor}, which this never shuts down. */
  public static AsyncProvisioning create(
      ExecutorService executor, @Nullable FlyApiClient webhooks) {
    return new AsyncProvisioning(
        Objects.requireNonNull(executor, "executor == null"), false, webhooks);
  }

  /**
   * Reports {@code pending} for its id from now on and starts {@code work}, which answers the
   * finished resource.
   *
   * @throws IllegalArgumentException if {@code pending} is not {@link ResourceStatus#PENDING}
   * @throws ProviderException (503) if no more work can be started
   */
  public void start(Resource pending, Callable<Resource> work) {
    Objects.requireNonNull(pending, "pending == null");
    Objects.requireNonNull(work, "work == null");
    if (pending.status() != ResourceStatus.PENDING) {
      throw new IllegalArgumentException(
          "start() takes the resource as it is while pending, with status PENDING, got "
              + pending.status());
    }
    String id = pending.id();
    states.put(id, pending);
    try {
      executor.execute(() -> finish(pending, work));
    } catch (RejectedExecutionException e) {
      states.remove(id, pending);
      throw ProviderException.unavailable("the provider cannot start more provisioning now", e);
    }
  }

  /** The resource as this knows it: pending, or finished; empty when not started or forgotten. */
  public Optional<Resource> status(String id) {
    return Optional.ofNullable(states.get(id));
  }

  /** Stops reporting {@code id}; work still running for it finishes but is not reported. */
  public void forget(String id) {
    states.remove(id);
  }

  /** Stops taking work and waits up to five seconds for what runs, if it owns its threads. */
  @Override
  public void close() {
    if (ownsExecutor) {
      executor.shutdown();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void finish(Resource pending, Callable<Resource> work) {
    Resource finished;
    try {
      finished = Objects.requireNonNull(work.call(), "provisioning work returned null");
      if (!finished.id().equals(pending.id())) {
        throw new IllegalStateException(
            "provisioning work for " + pending.id() + " answered resource " + finished.id());
      }
    } catch (ProviderException e) {
      finished = failed(pending, e.getMessage());
    } catch (Exception e) {
      LOG.log(Level.ERROR, () -> "provisioning of " + pending.id() + " failed", e);
      finished = failed(pending, "provisioning failed; the provider has been told");
    }

    // rule: a resource forgotten (deleted) meanwhile is not reported
    if (!states.replace(pending.id(), pending, finished)) {
      return;
    }
    if (webhooks != null) {
      try {
        webhooks.enqueueWebhook(WebhookAction.UPDATED, finished);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, () -> "could not queue the webhook for " + pending.id(), e);
      }
    }
  }

  private static Resource failed(Resource pending, String message) {
    return pending.toBuilder().status(ResourceStatus.ERROR).message(message).build();
  }
}
