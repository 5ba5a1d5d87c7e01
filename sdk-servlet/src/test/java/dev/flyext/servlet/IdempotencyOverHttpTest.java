package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.ProvisionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Fly retries: provisioning happens once per Fly id, and deleting twice succeeds twice. */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class IdempotencyOverHttpTest {
  private static final int CONCURRENT_RETRIES = 48;

  @RegisterExtension final ProviderServers servers;

  IdempotencyOverHttpTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  private ProviderServer server;
  private RecordingHandler handler;

  @BeforeEach
  void startServer() {
    server = servers.start(ProviderServer.atFlyio());
    handler = server.handler();
  }

  @Test
  void answersARepeatedProvisionWithTheFirstAnswer() {
    handler.answerWith(
        request ->
            ProvisionResult.builder("res_" + handler.provisions.get())
                .config("KV_URL", "redis://kv.internal/" + request.id())
                .build());
    Reply first = server.fly().provision("ext_dup");

    Reply second = server.fly().provision("ext_dup");

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(first.json().get("id").asText()).isEqualTo("res_1");
    assertThat(handler.provisions.get()).isEqualTo(1);
  }

  @Test
  void provisionsOnceUnderConcurrentRetries() throws Exception {
    handler.sleepInProvision(Duration.ofMillis(200));
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_RETRIES);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < CONCURRENT_RETRIES; i++) {
      replies.add(
          pool.submit(
              () -> {
                start.await();
                return server.fly().provision("ext_race");
              }));
    }

    start.countDown();
    List<String> bodies = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    for (Future<Reply> reply : replies) {
      statuses.add(reply.get(20, TimeUnit.SECONDS).status());
      bodies.add(reply.get().text());
    }
    pool.shutdown();

    assertThat(statuses).hasSize(CONCURRENT_RETRIES).containsOnly(200);
    assertThat(bodies).containsOnly(bodies.get(0));
    assertThat(bodies.get(0)).contains("\"id\":\"ext_race\"");
    assertThat(handler.provisions.get()).isEqualTo(1);
  }

  @Test
  void provisionsAfreshAfterAFailedFirstAttempt() {
    handler.failWith(new IllegalStateException("the database is down"));
    Reply failed;
    try (LogCapture log = new LogCapture()) {
      failed = server.fly().provision("ext_retry");

      assertThat(log.records()).hasSize(1);
    }
    handler.stopFailing();

    Reply retried = server.fly().provision("ext_retry");

    Answers.assertJsonError(failed, 500);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(handler.provisions.get()).isEqualTo(2);
  }

  @Test
  void deletesOnceAndAnswersSuccessEveryTime() {
    server.fly().provision("ext_del");

    Reply first = server.fly().delete("/extensions/ext_del");
    Reply second = server.fly().delete("/extensions/ext_del");
    Reply status = server.fly().get("/extensions/ext_del");

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(first.json().get("id").asText()).isEqualTo("ext_del");
    assertThat(first.json().get("deleted").asBoolean()).isTrue();
    Answers.assertJsonError(status, 404);
    assertThat(handler.deletes.get()).isEqualTo(1);
    assertThat(handler.gets.get()).isZero();
  }

  @Test
  void deletesAnIdItNeverProvisioned() {
    Reply reply = server.fly().delete("/extensions/ext_never");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("deleted").asBoolean()).isTrue();
  }

  @Test
  void refusesToUpdateADeletedExtension() {
    server.fly().provision("ext_gone");
    server.fly().delete("/extensions/ext_gone");

    Reply reply = server.fly().patch("/extensions/ext_gone", FlyClient.object().put("name", "x"));

    Answers.assertJsonError(reply, 404);
    assertThat(handler.updates.get()).isZero();
  }
}
