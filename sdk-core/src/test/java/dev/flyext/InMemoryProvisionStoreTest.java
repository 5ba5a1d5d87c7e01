package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flyext.ProvisionStore.Claim;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryProvisionStoreTest {
  private final InMemoryProvisionStore store = InMemoryProvisionStore.create();
  private final ProvisionResult result =
      ProvisionResult.builder("ext_1").config("KV_URL", "kv://1").build();

  @Test
  void firstClaimAcquires() {
    Claim claim = store.claim("ext_1");

    assertThat(claim.state()).isEqualTo(Claim.State.ACQUIRED);
    assertThat(claim.result()).isNull();
  }

  @Test
  void secondClaimSeesWorkInProgress() {
    store.claim("ext_1");

    Claim claim = store.claim("ext_1");

    assertThat(claim.state()).isEqualTo(Claim.State.IN_PROGRESS);
  }

  @Test
  void claimAfterCompletionGivesTheFirstAnswer() {
    store.claim("ext_1");
    store.complete("ext_1", result);

    Claim claim = store.claim("ext_1");

    assertThat(claim.state()).isEqualTo(Claim.State.COMPLETED);
    assertThat(claim.result()).isSameAs(result);
  }

  @Test
  void keepsTheFirstAnswerWhenCompletedTwice() {
    store.claim("ext_1");
    store.complete("ext_1", result);

    store.complete("ext_1", ProvisionResult.builder("ext_1").config("KV_URL", "other").build());

    assertThat(store.claim("ext_1").result()).isSameAs(result);
  }

  @Test
  void releaseLetsTheNextClaimAcquire() {
    store.claim("ext_1");
    store.release("ext_1");

    Claim claim = store.claim("ext_1");

    assertThat(claim.state()).isEqualTo(Claim.State.ACQUIRED);
  }

  @Test
  void releaseAfterCompletionKeepsTheAnswer() {
    store.claim("ext_1");
    store.complete("ext_1", result);

    store.release("ext_1");

    assertThat(store.claim("ext_1").state()).isEqualTo(Claim.State.COMPLETED);
  }

  @Test
  void refusesToCompleteAnUnclaimedId() {
    assertThatThrownBy(() -> store.complete("ext_never", result))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ext_never");
  }

  @Test
  void peekDoesNotAcquire() {
    Claim peeked = store.peek("ext_1");

    Claim claimed = store.claim("ext_1");

    assertThat(peeked.state()).isEqualTo(Claim.State.ACQUIRED);
    assertThat(claimed.state()).isEqualTo(Claim.State.ACQUIRED);
    assertThat(store.peek("ext_1").state()).isEqualTo(Claim.State.IN_PROGRESS);
  }

  @Test
  void waiterReceivesTheAnswerWhenTheOwnerCompletes() throws Exception {
    store.claim("ext_1");
    CompletableFuture<Optional<ProvisionResult>> waiter =
        CompletableFuture.supplyAsync(() -> await("ext_1", Duration.ofSeconds(10)));

    store.complete("ext_1", result);

    assertThat(waiter.get(5, TimeUnit.SECONDS)).containsSame(result);
  }

  @Test
  void waiterGetsNothingWhenTheOwnerReleases() throws Exception {
    store.claim("ext_1");
    CompletableFuture<Optional<ProvisionResult>> waiter =
        CompletableFuture.supplyAsync(() -> await("ext_1", Duration.ofSeconds(10)));

    store.release("ext_1");

    assertThat(waiter.get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void waitGivesUpAtTheTimeout() throws Exception {
    store.claim("ext_1");

    Optional<ProvisionResult> answer = store.awaitCompletion("ext_1", Duration.ofMillis(50));

    assertThat(answer).isEmpty();
    assertThat(store.claim("ext_1").state()).isEqualTo(Claim.State.IN_PROGRESS);
  }

  @Test
  void remembersDeletions() {
    store.markDeleted("ext_1");

    assertThat(store.isDeleted("ext_1")).isTrue();
    assertThat(store.isDeleted("ext_2")).isFalse();
  }

  @Test
  void claimRefusesAResultUnlessCompleted() {
    assertThatThrownBy(() -> new Claim(Claim.State.ACQUIRED, result))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Claim(Claim.State.COMPLETED, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Optional<ProvisionResult> await(String id, Duration timeout) {
    try {
      return store.awaitCompletion(id, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
