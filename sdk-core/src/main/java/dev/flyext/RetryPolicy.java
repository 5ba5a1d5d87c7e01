package dev.flyext;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How webhook deliveries are retried: network errors, timeouts, 429 and 5xx are retried with
 * exponential backoff and jitter, honouring {@code Retry-After}; any other 4xx is not.
 *
 * @param maxAttempts attempts in all, the first included
 * @param initialBackoff the wait before the second attempt, before jitter
 * @param maxBackoff the longest wait between attempts, {@code Retry-After} included
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  /** Six attempts over about half a minute, for calls that block the caller. */
  public static final RetryPolicy BLOCKING =
      new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(10));

  /** Twelve attempts over about twenty minutes, for queued deliveries. */
  public static final RetryPolicy QUEUED =
      new RetryPolicy(12, Duration.ofSeconds(1), Duration.ofMinutes(5));

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff == null");
    Objects.requireNonNull(maxBackoff, "maxBackoff == null");
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be 1 to 100, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initialBackoff <= maxBackoff, was "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
  }

  /**
   * The wait before attempt {@code attempt + 1}: {@code Retry-After} when the server gave one,
   * otherwise the exponential step with jitter between half and all of it; never over {@link
   * #maxBackoff()}.
   */
  Duration backoff(int attempt, Duration retryAfter) {
    if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()) {
      return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
    }
    long base = initialBackoff.toMillis();
    long step = base << Math.min(attempt - 1, 20);
    long capped = Math.min(step, maxBackoff.toMillis());
    long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    return Duration.ofMillis(jittered);
  }
}
