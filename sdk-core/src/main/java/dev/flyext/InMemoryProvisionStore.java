package dev.flyext;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ProvisionStore} in this process's memory. Thread-safe; waiters are woken as soon as the
 * answer is stored.
 *
 * <p>It keeps one answer per provisioned id and one mark per deleted id, forever, and loses both on
 * restart: a provider with several replicas, or one that must survive restarts without provisioning
 * twice, needs a shared, durable store.
 */
public final class InMemoryProvisionStore implements ProvisionStore {
  private final ConcurrentHashMap<String, CompletableFuture<ProvisionResult>> answers =
      new ConcurrentHashMap<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();

  private InMemoryProvisionStore() {}

  public static InMemoryProvisionStore create() {
    return new InMemoryProvisionStore();
  }

  @Override
  public Claim claim(String flyId) {
    Objects.requireNonNull(flyId, "flyId == null");
    CompletableFuture<ProvisionResult> mine = new CompletableFuture<>();
    CompletableFuture<ProvisionResult> existing = answers.putIfAbsent(flyId, mine);
    if (existing == null) {
      return Claim.acquired();
    }
    return stateOf(existing);
  }

  @Override
  public Claim peek(String flyId) {
    CompletableFuture<ProvisionResult> existing = answers.get(flyId);
    return existing == null ? Claim.acquired() : stateOf(existing);
  }

  private static Claim stateOf(CompletableFuture<ProvisionResult> future) {
    if (future.isDone() && !future.isCompletedExceptionally()) {
      return Claim.completed(future.join());
    }
    return Claim.inProgress();
  }

  @Override
  public void complete(String flyId, ProvisionResult result) {
    Objects.requireNonNull(result, "result == null");
    CompletableFuture<ProvisionResult> future = answers.get(flyId);
    if (future == null) {
      throw new IllegalStateException("complete() of " + flyId + ", which was never claimed");
    }
    future.complete(result);
  }

  @Override
  public void release(String flyId) {
    CompletableFuture<ProvisionResult> future = answers.get(flyId);
    if (future != null && !future.isDone() && answers.remove(flyId, future)) {
      future.completeExceptionally(new IllegalStateException("released"));
    }
  }

  @Override
  public Optional<ProvisionResult> awaitCompletion(String flyId, Duration timeout)
      throws InterruptedException {
    CompletableFuture<ProvisionResult> future = answers.get(flyId);
    if (future == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(future.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  @Override
  public void markDeleted(String resourceId) {
    deleted.add(Objects.requireNonNull(resourceId, "resourceId == null"));
  }

  @Override
  public boolean isDeleted(String resourceId) {
    return deleted.contains(resourceId);
  }
}
