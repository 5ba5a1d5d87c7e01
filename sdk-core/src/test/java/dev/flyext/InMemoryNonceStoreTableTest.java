package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.NonceStore.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The store's hash table: collisions, probe runs that wrap, sweeping, growth and a model check. */
class InMemoryNonceStoreTableTest {
  private static final Instant NOW = Instant.ofEpochSecond(1764800000);

  private final MutableClock clock = MutableClock.at(NOW);

  @Test
  void hashesWithSipHash128() {
    InMemoryNonceStore.SipHash128 hash =
        new InMemoryNonceStore.SipHash128(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    // The reference vector for the empty message under the key 00..0f.
    hash.hash("");
    long emptyHigh = hash.high;
    long emptyLow = hash.low;
    // The bytes 00..07, read as four UTF-16LE characters: checks how characters fill a word.
    hash.hash("\u0100\u0302\u0504\u0706");

    assertThat(emptyHigh).isEqualTo(0xe6a825ba047f81a3L);
    assertThat(emptyLow).isEqualTo(0x930255c71472f66dL);
    assertThat(hash.high).isEqualTo(0x61f55862baa9623bL);
    assertThat(hash.low).isEqualTo(0xb49714f364e2830fL);
  }

  @Test
  void keepsNoncesThatShareAHomeSlotApart() {
    InMemoryNonceStore store = store(16);
    List<String> colliding = homedAt(store, store.homeSlot("seed"), 3);

    List<Outcome> first = recordAll(store, colliding);
    List<Outcome> again = recordAll(store, colliding);
    store.forget(colliding.get(0));

    assertThat(first).containsOnly(Outcome.ACCEPTED);
    assertThat(again).containsOnly(Outcome.REPLAYED);
    assertThat(store.record(colliding.get(1), NOW.plusSeconds(300))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.record(colliding.get(2), NOW.plusSeconds(300))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.record(colliding.get(0), NOW.plusSeconds(300))).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void findsEntriesWhoseProbeRunWrapsPastTheTableEnd() {
    InMemoryNonceStore store = store(16);
    int lastSlot = store.slots() - 1;
    List<String> atTheEnd = homedAt(store, lastSlot, 3);
    recordAll(store, atTheEnd);

    store.forget(atTheEnd.get(1));

    assertThat(store.record(atTheEnd.get(0), NOW.plusSeconds(300))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.record(atTheEnd.get(2), NOW.plusSeconds(300))).isEqualTo(Outcome.REPLAYED);
    store.forget(atTheEnd.get(0));
    assertThat(store.record(atTheEnd.get(2), NOW.plusSeconds(300))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void sweepsExpiredEntriesOutOfAProbeRun() {
    InMemoryNonceStore store = store(16);
    List<String> colliding = homedAt(store, 5, 3);
    store.record(colliding.get(0), NOW.plusSeconds(10));
    store.record(colliding.get(1), NOW.plusSeconds(20));
    store.record(colliding.get(2), NOW.plusSeconds(30));

    clock.advance(Duration.ofSeconds(10));

    assertThat(store.size()).isEqualTo(2);
    assertThat(store.record(colliding.get(2), NOW.plusSeconds(30))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.record(colliding.get(1), NOW.plusSeconds(20))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.record(colliding.get(0), NOW.plusSeconds(40))).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void growsWithLiveNoncesAndShrinksAsTheyExpire() {
    InMemoryNonceStore store = store(100_000);
    int initial = store.slots();
    for (int i = 0; i < 50_000; i++) {
      store.record("n-" + i, NOW.plusSeconds(300));
    }
    int grown = store.slots();

    clock.advance(Duration.ofSeconds(300));

    assertThat(grown).isGreaterThanOrEqualTo(100_000);
    assertThat(store.size()).isZero();
    assertThat(store.slots()).isEqualTo(initial);
    assertThat(store.record("n-1", clock.instant().plusSeconds(300))).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void behavesLikeAMapOfExpiriesUnderRandomOperations() {
    int capacity = 20;
    InMemoryNonceStore store = store(capacity);
    Map<String, Long> model = new HashMap<>();
    Random random = new Random(20261204);

    for (int step = 0; step < 20_000; step++) {
      String nonce = "nonce-" + random.nextInt(60);
      int choice = random.nextInt(10);
      if (choice < 6) {
        Instant expiresAt = clock.instant().plusSeconds(random.nextInt(60) - 5);
        Outcome expected = modelRecord(model, capacity, nonce, expiresAt);

        assertThat(store.record(nonce, expiresAt)).as("step %d", step).isEqualTo(expected);
      } else if (choice < 8) {
        store.forget(nonce);
        model.remove(nonce);
      } else {
        clock.advance(Duration.ofSeconds(random.nextInt(8)));
      }
      long now = clock.millis();
      model.values().removeIf(expiry -> expiry <= now);

      assertThat(store.size()).as("step %d", step).isEqualTo(model.size());
    }
  }

  private Outcome modelRecord(Map<String, Long> model, int capacity, String nonce, Instant at) {
    long now = clock.millis();
    model.values().removeIf(expiry -> expiry <= now);
    if (model.containsKey(nonce)) {
      return Outcome.REPLAYED;
    }
    if (at.toEpochMilli() <= now) {
      return Outcome.ACCEPTED;
    }
    if (model.size() >= capacity) {
      return Outcome.FULL;
    }
    model.put(nonce, at.toEpochMilli());
    return Outcome.ACCEPTED;
  }

  private InMemoryNonceStore store(int capacity) {
    return InMemoryNonceStore.withHashKey(capacity, clock, 0x5eed, 0xcafe);
  }

  private static List<String> homedAt(InMemoryNonceStore store, int slot, int count) {
    List<String> nonces = new ArrayList<>();
    for (int i = 0; nonces.size() < count; i++) {
      String candidate = "n-" + i;
      if (store.homeSlot(candidate) == slot) {
        nonces.add(candidate);
      }
    }
    return nonces;
  }

  private List<Outcome> recordAll(InMemoryNonceStore store, List<String> nonces) {
    List<Outcome> outcomes = new ArrayList<>();
    for (String nonce : nonces) {
      outcomes.add(store.record(nonce, NOW.plusSeconds(300)));
    }
    return outcomes;
  }
}
