package dev.flyext.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyext.ResourceStatus;
import dev.flyext.WebhookAction;
import dev.flyext.testkit.ReceivedWebhook;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AsyncProvisioningTest {
  private RunningProvider provider;

  @BeforeEach
  void start() throws Exception {
    provider = RunningProvider.start(RunningProvider.member("Ada"), Duration.ofMillis(500));
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  @Test
  void withReadReplicasItIsPendingThenReadyAndFlyIsToldWithAVerifiedWebhook() throws Exception {
    JsonNode answer = provider.provision("ext_async1", "kv-async", List.of("cdg", "fra"));
    String pending = provider.status("ext_async1");

    ReceivedWebhook received =
        provider.fly.awaitWebhook(
            webhook -> webhook.resource().id().equals("ext_async1"), Duration.ofSeconds(10));
    String ready = provider.status("ext_async1");

    assertThat(answer.path("config").path("KV_URL").asText())
        .isEqualTo(KvHandler.DATA_URL + "ext_async1");
    assertThat(answer.path("config").path("KV_TOKEN").asText()).startsWith("kvt_");
    assertThat(pending).isEqualTo("pending");
    assertThat(received.webhook().action()).isEqualTo(WebhookAction.UPDATED);
    assertThat(received.webhook().resource().status()).isEqualTo(ResourceStatus.READY);
    assertThat(received.webhook().resource().name()).isEqualTo("kv-async");
    assertThat(received.webhook().resource().readRegions()).containsExactly("cdg", "fra");
    assertThat(received.webhook().url()).isEqualTo(provider.fly.url() + "/api/hooks/extensions/kv");
    assertThat(received.bodyText()).doesNotContain("kvt_", "KV_TOKEN");
    assertThat(ready).isEqualTo("ready");
    assertThat(provider.fly.refusedWebhooks()).isEmpty();
    assertThat(provider.fly.webhooks()).hasSize(1);
  }

  @Test
  void withoutReadReplicasItIsReadyAtOnceAndNoWebhookIsSent() throws Exception {
    provider.provision("ext_sync1", "kv-sync", List.of());

    String status = provider.status("ext_sync1");
    Thread.sleep(800);

    assertThat(status).isEqualTo("ready");
    assertThat(provider.fly.webhookAttempts()).isZero();
  }

  @Test
  void aDatabaseDeletedWhilePendingIsNeverReportedReady() throws Exception {
    provider.provision("ext_gone1", "kv-gone", List.of("cdg"));

    int deleted = provider.signed("DELETE", "ext_gone1").statusCode();
    Thread.sleep(800);

    assertThat(deleted).isEqualTo(200);
    assertThat(provider.fly.webhookAttempts()).isZero();
  }
}
