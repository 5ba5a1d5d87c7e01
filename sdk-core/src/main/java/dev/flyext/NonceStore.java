package dev.flyext;

import java.time.Instant;

/**
 * Remembers nonces of verified requests until they would be stale anyway, so a replay inside the
 * freshness window is refused. Implementations must be thread-safe and atomic per nonce: two
 * concurrent calls with one nonce accept at most one of them.
 *
 * <p>{@link InMemoryNonceStore} serves one process. Several replicas behind one URL need one shared
 * store, or a replay sent to another replica is accepted.
 */
public interface NonceStore {
  /** What became of a nonce. */
  enum Outcome {
    /** First sight: recorded until its expiry. */
    ACCEPTED,
    /** Seen before and not yet expired. */
    REPLAYED,
    /** Not seen, but the store holds as many live nonces as it may; nothing was evicted. */
    FULL
  }

  /**
   * Records {@code nonce} until {@code expiresAt} unless it is already live.
   *
   * @param nonce the request's nonce, at most 256 characters
   * @param expiresAt when the request it came with stops being fresh
   */
  Outcome record(String nonce, Instant expiresAt);
}
