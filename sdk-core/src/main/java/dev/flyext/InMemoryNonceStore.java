package dev.flyext;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link NonceStore} for one process: entries expire by time, and the store holds at most a fixed
 * number of live nonces. When full it refuses new nonces rather than evict live ones, since an
 * evicted nonce could be replayed.
 *
 * <p>Thread-safe. Memory grows with the number of live nonces, at most {@link #capacity()}.
 */
public final class InMemoryNonceStore implements NonceStore {
  /** Live nonces held by {@link #create()}: over 2,700 requests a second for five minutes. */
  public static final int DEFAULT_CAPACITY = 1_000_000;

  private final int capacity;
  private final Clock clock;
  private final Map<String, Long> expiries = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>();

  private InMemoryNonceStore(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** A store of {@link #DEFAULT_CAPACITY} nonces on the system UTC clock. */
  public static InMemoryNonceStore create() {
    return new InMemoryNonceStore(DEFAULT_CAPACITY, Clock.systemUTC());
  }

  /** A store of {@code capacity} nonces that expires entries by {@code clock}. */
  public static InMemoryNonceStore create(int capacity, Clock clock) {
    return new InMemoryNonceStore(capacity, clock);
  }

  public int capacity() {
    return capacity;
  }

  /** Live nonces now held. */
  public synchronized int size() {
    sweep(clock.millis());
    return expiries.size();
  }

  @Override
  public synchronized Outcome record(String nonce, Instant expiresAt) {
    Objects.requireNonNull(nonce, "nonce == null");
    long now = clock.millis();
    sweep(now);

    long expiry = expiresAt.toEpochMilli();
    if (expiries.containsKey(nonce)) {
      return Outcome.REPLAYED;
    }
    if (expiry <= now) {
      // Already expired: nothing to remember, and a replay of it is stale anyway.
      return Outcome.ACCEPTED;
    }
    if (expiries.size() >= capacity) {
      return Outcome.FULL;
    }
    expiries.put(nonce, expiry);
    byExpiry.add(new Entry(expiry, nonce));
    return Outcome.ACCEPTED;
  }

  /** Drops {@code nonce}, so it is accepted again; for ids whose processing failed. */
  synchronized void forget(String nonce) {
    expiries.remove(nonce);
  }

  private void sweep(long now) {
    Entry head;
    while ((head = byExpiry.peek()) != null && head.expiry <= now) {
      byExpiry.poll();
      // The nonce may have been forgotten and recorded again with a later expiry.
      expiries.remove(head.nonce, head.expiry);
    }
  }

  private record Entry(long expiry, String nonce) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry other) {
      return Long.compare(expiry, other.expiry);
    }
  }
}
