package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flyext.NonceStore.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryNonceStoreTest {
  private static final Instant NOW = Instant.ofEpochSecond(1764800000);

  private final MutableClock clock = MutableClock.at(NOW);

  @Test
  void acceptsANewNonce() {
    InMemoryNonceStore store = InMemoryNonceStore.create(10, clock);

    Outcome outcome = store.record("n-1", NOW.plusSeconds(300));

    assertThat(outcome).isEqualTo(Outcome.ACCEPTED);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void refusesALiveNonceSeenBefore() {
    InMemoryNonceStore store = InMemoryNonceStore.create(10, clock);
    store.record("n-1", NOW.plusSeconds(300));

    Outcome outcome = store.record("n-1", NOW.plusSeconds(300));

    assertThat(outcome).isEqualTo(Outcome.REPLAYED);
  }

  @Test
  void acceptsTheSameNonceAgainOnceItExpired() {
    InMemoryNonceStore store = InMemoryNonceStore.create(10, clock);
    store.record("n-1", NOW.plusSeconds(300));
    clock.advance(Duration.ofSeconds(299));
    Outcome beforeExpiry = store.record("n-1", clock.instant().plusSeconds(300));

    clock.advance(Duration.ofSeconds(1));
    Outcome afterExpiry = store.record("n-1", clock.instant().plusSeconds(300));

    assertThat(beforeExpiry).isEqualTo(Outcome.REPLAYED);
    assertThat(afterExpiry).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void doesNotHoldANonceThatIsAlreadyExpired() {
    InMemoryNonceStore store = InMemoryNonceStore.create(10, clock);

    Outcome outcome = store.record("old", NOW.minusSeconds(1));

    assertThat(outcome).isEqualTo(Outcome.ACCEPTED);
    assertThat(store.size()).isZero();
  }

  @Test
  void answersFullWithoutEvictingLiveNonces() {
    InMemoryNonceStore store = InMemoryNonceStore.create(2, clock);
    store.record("a", NOW.plusSeconds(100));
    store.record("b", NOW.plusSeconds(200));

    Outcome third = store.record("c", NOW.plusSeconds(300));

    assertThat(third).isEqualTo(Outcome.FULL);
    assertThat(store.record("a", NOW.plusSeconds(100))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.record("b", NOW.plusSeconds(200))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void freesSpaceAsEntriesExpire() {
    InMemoryNonceStore store = InMemoryNonceStore.create(2, clock);
    store.record("a", NOW.plusSeconds(100));
    store.record("b", NOW.plusSeconds(200));
    clock.advance(Duration.ofSeconds(100));

    Outcome third = store.record("c", clock.instant().plusSeconds(300));

    assertThat(third).isEqualTo(Outcome.ACCEPTED);
    assertThat(store.record("b", NOW.plusSeconds(200))).isEqualTo(Outcome.REPLAYED);
    assertThat(store.record("d", clock.instant().plusSeconds(300))).isEqualTo(Outcome.FULL);
  }

  @Test
  void acceptsAForgottenNonceAgain() {
    InMemoryNonceStore store = InMemoryNonceStore.create(10, clock);
    store.record("evt", NOW.plusSeconds(100));
    store.forget("evt");

    Outcome outcome = store.record("evt", NOW.plusSeconds(500));
    clock.advance(Duration.ofSeconds(100));

    assertThat(outcome).isEqualTo(Outcome.ACCEPTED);
    assertThat(store.record("evt", NOW.plusSeconds(500))).isEqualTo(Outcome.REPLAYED);
  }

  @Test
  void acceptsExactlyOneOfManyConcurrentRecordsOfOneNonce() throws Exception {
    InMemoryNonceStore store = InMemoryNonceStore.create(1000, clock);
    int threads = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      outcomes.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return store.record("contended", NOW.plusSeconds(300));
              }));
    }

    ready.await();
    go.countDown();
    List<Outcome> results = new ArrayList<>();
    for (Future<Outcome> outcome : outcomes) {
      results.add(outcome.get(10, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertThat(results).filteredOn(o -> o == Outcome.ACCEPTED).hasSize(1);
    assertThat(results).filteredOn(o -> o == Outcome.REPLAYED).hasSize(threads - 1);
  }

  @Test
  void refusesCapacityBelowOne() {
    assertThatThrownBy(() -> InMemoryNonceStore.create(0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }
}
