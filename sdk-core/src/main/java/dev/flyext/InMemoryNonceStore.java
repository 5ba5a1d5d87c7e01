package dev.flyext;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link NonceStore} for one process: entries expire by time, and the store holds at most a fixed
 * number of live nonces. When full it refuses new nonces rather than evict live ones, since an
 * evicted nonce could be replayed.
 *
 * <p>Thread-safe. Memory grows with the number of live nonces, at most {@link #capacity()}, and
 * shrinks again as they expire. Each nonce is kept as a 128-bit SipHash of it, under a key drawn at
 * random for this store, with its expiry: 50 to 150 bytes a live nonce depending on how full the
 * table is, 72 MiB for a million. Two nonces with the same hash would count as one, so the second
 * would be refused as a replay; for a million live nonces the chance is below 10<sup>-26</sup>, and
 * the random key keeps anyone from choosing nonces that collide.
 */
public final class InMemoryNonceStore implements NonceStore {
  /** Live nonces held by {@link #create()}: over 2,700 requests a second for five minutes. */
  public static final int DEFAULT_CAPACITY = 1_000_000;

  /** Longs per table slot: the hash's two halves and the expiry in epoch milliseconds. */
  private static final int SLOT = 3;

  /** The expiry of a free slot; a live entry always expires after the current time. */
  private static final long FREE = Long.MIN_VALUE;

  private static final int MIN_SLOTS = 16;

  /** The table's largest size; past half of it, the table fills to three quarters, then refuses. */
  private static final int MAX_SLOTS = 1 << 28;

  private final int capacity;
  private final Clock clock;
  private final SipHash128 hash;
  private final int minSlots;

  /** Open addressing with linear probing; a slot is free when its expiry is {@link #FREE}. */
  private long[] table;

  private int mask;
  private int size;

  /**
   * A binary min-heap by expiry of (expiry, hash, hash) triples, one per recorded entry, so a sweep
   * finds what has expired without scanning the table. A forgotten entry stays in the heap until it
   * is swept or the heap is rebuilt.
   */
  private long[] heap;

  private int heapSize;

  private InMemoryNonceStore(int capacity, Clock clock, long key0, long key1) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.hash = new SipHash128(key0, key1);
    this.minSlots = Math.min(1024, slotsFor(capacity));
    this.table = freeTable(minSlots);
    this.mask = minSlots - 1;
    this.heap = new long[SLOT * Math.min(64, capacity)];
  }

  /** A store of {@link #DEFAULT_CAPACITY} nonces on the system UTC clock. */
  public static InMemoryNonceStore create() {
    return create(DEFAULT_CAPACITY, Clock.systemUTC());
  }

  /** A store of {@code capacity} nonces that expires entries by {@code clock}. */
  public static InMemoryNonceStore create(int capacity, Clock clock) {
    SecureRandom random = new SecureRandom();
    return new InMemoryNonceStore(capacity, clock, random.nextLong(), random.nextLong());
  }

  /** A store whose hash key is given, so a test can place nonces in chosen slots. */
  static InMemoryNonceStore withHashKey(int capacity, Clock clock, long key0, long key1) {
    return new InMemoryNonceStore(capacity, clock, key0, key1);
  }

  public int capacity() {
    return capacity;
  }

  /** Live nonces now held. */
  public synchronized int size() {
    sweep(clock.millis());
    return size;
  }

  @Override
  public synchronized Outcome record(String nonce, Instant expiresAt) {
    Objects.requireNonNull(nonce, "nonce == null");
    long now = clock.millis();
    sweep(now);

    long expiry = expiresAt.toEpochMilli();
    hash.hash(nonce);
    long high = hash.high;
    long low = hash.low;
    int slot = find(high, low);
    if (slot >= 0) {
      return Outcome.REPLAYED;
    }
    if (expiry <= now) {
      // Already expired: nothing to remember, and a replay of it is stale anyway.
      return Outcome.ACCEPTED;
    }
    int slots = mask + 1;
    if (size >= capacity || !makeRoom()) {
      return Outcome.FULL;
    }
    if (mask + 1 != slots) {
      slot = find(high, low);
    }
    put(-1 - slot, high, low, expiry);
    push(expiry, high, low);
    return Outcome.ACCEPTED;
  }

  /** Drops {@code nonce}, so it is accepted again; for ids whose processing failed. */
  synchronized void forget(String nonce) {
    hash.hash(nonce);
    int slot = find(hash.high, hash.low);
    if (slot >= 0) {
      removeAt(slot);
    }
    // Each forgotten entry leaves a stale one in the heap; rebuild before they outnumber the rest.
    if (heapSize > 2 * size + 64) {
      rebuildHeap();
    }
  }

  /** The slot {@code nonce} hashes to before any probing; for tests of collisions. */
  synchronized int homeSlot(String nonce) {
    hash.hash(nonce);
    return home(hash.high);
  }

  /** Slots in the table now; for tests of growth and shrinking. */
  synchronized int slots() {
    return mask + 1;
  }

  // The table.

  /**
   * The slot holding the hash, or {@code -1 - s} where {@code s} is the free slot it would take.
   */
  private int find(long high, long low) {
    int slot = home(high);
    while (true) {
      int at = slot * SLOT;
      if (table[at + 2] == FREE) {
        return -1 - slot;
      }
      if (table[at] == high && table[at + 1] == low) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  private int home(long high) {
    return (int) (high ^ (high >>> 32)) & mask;
  }

  private void put(int slot, long high, long low, long expiry) {
    int at = slot * SLOT;
    table[at] = high;
    table[at + 1] = low;
    table[at + 2] = expiry;
    size++;
  }

  /**
   * Removes the entry at {@code slot} and shifts later entries of its probe run back into the hole,
   * so lookups never need tombstones. The run may wrap past the table's end.
   */
  private void removeAt(int slot) {
    int hole = slot;
    int next = slot;
    while (true) {
      next = (next + 1) & mask;
      int at = next * SLOT;
      if (table[at + 2] == FREE) {
        break;
      }
      int wanted = home(table[at]);
      // The entry may fill the hole unless its home lies cyclically in (hole, next].
      boolean stays =
          hole <= next ? hole < wanted && wanted <= next : hole < wanted || wanted <= next;
      if (!stays) {
        System.arraycopy(table, at, table, hole * SLOT, SLOT);
        hole = next;
      }
    }
    int at = hole * SLOT;
    table[at] = 0;
    table[at + 1] = 0;
    table[at + 2] = FREE;
    size--;
  }

  /** Grows the table before it passes half full; false if it may grow no further. */
  private boolean makeRoom() {
    int slots = mask + 1;
    if (2L * (size + 1) <= slots) {
      return true;
    }
    if (slots < MAX_SLOTS) {
      resize(slots * 2);
      return true;
    }
    return 4L * (size + 1) <= 3L * slots;
  }

  private void resize(int slots) {
    long[] old = table;
    table = freeTable(slots);
    mask = slots - 1;
    size = 0;
    for (int at = 0; at < old.length; at += SLOT) {
      if (old[at + 2] != FREE) {
        put(-1 - find(old[at], old[at + 1]), old[at], old[at + 1], old[at + 2]);
      }
    }
  }

  private static long[] freeTable(int slots) {
    long[] table = new long[slots * SLOT];
    for (int at = 2; at < table.length; at += SLOT) {
      table[at] = FREE;
    }
    return table;
  }

  /** Slots for {@code entries} at most half full: a power of two, at least {@link #MIN_SLOTS}. */
  private static int slotsFor(int entries) {
    long wanted = Math.max(MIN_SLOTS, 2L * entries);
    return (int) Math.min(MAX_SLOTS, Long.highestOneBit(wanted - 1) << 1);
  }

  // Expiry.

  /**
   * Drops every entry that expired by {@code now}, then gives back memory the table no longer
   * needs.
   */
  private void sweep(long now) {
    boolean removed = false;
    while (heapSize > 0 && heap[0] <= now) {
      long expiry = heap[0];
      long high = heap[1];
      long low = heap[2];
      pop();
      int slot = find(high, low);
      // The nonce may have been forgotten and recorded again with a later expiry.
      if (slot >= 0 && table[slot * SLOT + 2] == expiry) {
        removeAt(slot);
        removed = true;
      }
    }
    if (removed && mask + 1 > minSlots && 8L * size < mask + 1) {
      resize(Math.max(minSlots, slotsFor(size)));
    }
    if (heap.length > SLOT * 64 && 8L * heapSize * SLOT < heap.length) {
      heap = Arrays.copyOf(heap, Math.max(SLOT * 64, 2 * heapSize * SLOT));
    }
  }

  private void push(long expiry, long high, long low) {
    if (heapSize * SLOT == heap.length) {
      long entries = Math.min(Integer.MAX_VALUE / SLOT, Math.max(64L, 2L * heapSize));
      heap = Arrays.copyOf(heap, (int) entries * SLOT);
    }
    int child = heapSize++;
    while (child > 0) {
      int parent = (child - 1) / 2;
      if (heap[parent * SLOT] <= expiry) {
        break;
      }
      System.arraycopy(heap, parent * SLOT, heap, child * SLOT, SLOT);
      child = parent;
    }
    setHeap(child, expiry, high, low);
  }

  private void pop() {
    heapSize--;
    if (heapSize == 0) {
      return;
    }
    int last = heapSize * SLOT;
    siftDown(0, heap[last], heap[last + 1], heap[last + 2]);
  }

  private void siftDown(int index, long expiry, long high, long low) {
    int parent = index;
    while (true) {
      int child = 2 * parent + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && heap[(child + 1) * SLOT] < heap[child * SLOT]) {
        child++;
      }
      if (expiry <= heap[child * SLOT]) {
        break;
      }
      System.arraycopy(heap, child * SLOT, heap, parent * SLOT, SLOT);
      parent = child;
    }
    setHeap(parent, expiry, high, low);
  }

  private void setHeap(int index, long expiry, long high, long low) {
    int at = index * SLOT;
    heap[at] = expiry;
    heap[at + 1] = high;
    heap[at + 2] = low;
  }

  /** Refills the heap from the table's live entries alone. */
  private void rebuildHeap() {
    long[] fresh = new long[SLOT * Math.max(64, size)];
    int count = 0;
    for (int at = 0; at < table.length; at += SLOT) {
      if (table[at + 2] != FREE) {
        fresh[count * SLOT] = table[at + 2];
        fresh[count * SLOT + 1] = table[at];
        fresh[count * SLOT + 2] = table[at + 1];
        count++;
      }
    }
    heap = fresh;
    heapSize = count;
    for (int index = count / 2 - 1; index >= 0; index--) {
      int at = index * SLOT;
      siftDown(index, heap[at], heap[at + 1], heap[at + 2]);
    }
  }

  // The hash.

  /**
   * SipHash-2-4 with 128-bit output over the UTF-16LE bytes of a string, four characters to a word.
   * Not thread-safe: each store has one and uses it under its lock.
   */
  static final class SipHash128 {
    private final long key0;
    private final long key1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    /** The halves of the last hash: its first eight bytes and its last eight, little-endian. */
    long high;

    long low;

    SipHash128(long key0, long key1) {
      this.key0 = key0;
      this.key1 = key1;
    }

    void hash(String text) {
      v0 = key0 ^ 0x736f6d6570736575L;
      v1 = key1 ^ 0x646f72616e646f6dL ^ 0xee;
      v2 = key0 ^ 0x6c7967656e657261L;
      v3 = key1 ^ 0x7465646279746573L;

      int length = text.length();
      int whole = length - length % 4;
      for (int i = 0; i < whole; i += 4) {
        absorb(
            text.charAt(i)
                | (long) text.charAt(i + 1) << 16
                | (long) text.charAt(i + 2) << 32
                | (long) text.charAt(i + 3) << 48);
      }

      // The last word: the remaining characters, and the length in bytes modulo 256 on top.
      long last = (2L * length & 0xff) << 56;
      for (int i = whole; i < length; i++) {
        last |= (long) text.charAt(i) << (16 * (i - whole));
      }
      absorb(last);

      v2 ^= 0xee;
      rounds(4);
      high = v0 ^ v1 ^ v2 ^ v3;
      v1 ^= 0xdd;
      rounds(4);
      low = v0 ^ v1 ^ v2 ^ v3;
    }

    private void absorb(long word) {
      v3 ^= word;
      rounds(2);
      v0 ^= word;
    }

    private void rounds(int count) {
      for (int round = 0; round < count; round++) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13) ^ v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16) ^ v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21) ^ v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17) ^ v2;
        v2 = Long.rotateLeft(v2, 32);
      }
    }
  }
}
