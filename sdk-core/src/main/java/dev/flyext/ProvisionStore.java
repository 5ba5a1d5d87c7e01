package dev.flyext;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Makes provisioning idempotent: remembers the first answer for each Fly {@code id}, and which
 * resources were deleted. Implementations must be thread-safe, and {@link #claim} atomic: of
 * concurrent claims of one id, exactly one acquires it.
 *
 * <p>{@link InMemoryProvisionStore} serves one process and forgets on restart; several replicas
 * need one shared store.
 */
public interface ProvisionStore {
  /** The state of one Fly id, as a claim found it. */
  record Claim(State state, @Nullable ProvisionResult result) {
    /** Where the id stands. */
    public enum State {
      /** The caller now owns the id and must {@link #complete} or {@link #release} it. */
      ACQUIRED,
      /** Another caller owns it and has not finished. */
      IN_PROGRESS,
      /** Provisioned before; {@link Claim#result()} is the first answer. */
      COMPLETED
    }

    public Claim {
      Objects.requireNonNull(state, "state == null");
      if ((state == State.COMPLETED) != (result != null)) {
        throw new IllegalArgumentException("a claim has a result exactly when COMPLETED");
      }
    }

    public static Claim acquired() {
      return new Claim(State.ACQUIRED, null);
    }

    public static Claim inProgress() {
      return new Claim(State.IN_PROGRESS, null);
    }

    public static Claim completed(ProvisionResult result) {
      return new Claim(State.COMPLETED, result);
    }
  }

  /** Acquires {@code flyId} for provisioning, or says who has it and what it answered. */
  Claim claim(String flyId);

  /** Stores the answer for an acquired id; later claims see {@link Claim.State#COMPLETED}. */
  void complete(String flyId, ProvisionResult result);

  /** Gives up an acquired id after a failure, so that a retry provisions afresh. */
  void release(String flyId);

  /**
   * Waits until another caller completes or releases {@code flyId}, at most {@code timeout}. The
   * default polls {@link #claim}; a store that can notify should override it.
   *
   * @return the answer if it completed in time; empty if it was released or is still running
   */
  default Optional<ProvisionResult> awaitCompletion(String flyId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(20);
      Claim claim = peek(flyId);
      if (claim.state() == Claim.State.COMPLETED) {
        return Optional.ofNullable(claim.result());
      }
      if (claim.state() == Claim.State.ACQUIRED) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The state of {@code flyId} without acquiring it: {@code ACQUIRED} here means nobody holds it
   * and it has no answer.
   */
  Claim peek(String flyId);

  /** Records that {@code resourceId} was deleted; deletes and status calls on it stop there. */
  void markDeleted(String resourceId);

  boolean isDeleted(String resourceId);
}
