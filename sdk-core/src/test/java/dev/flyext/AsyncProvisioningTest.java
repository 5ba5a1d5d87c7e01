package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AsyncProvisioningTest {
  private final MockWebServer fly = new MockWebServer();
  private FlyApiClient client;
  private AsyncProvisioning async;

  @BeforeEach
  void start() throws IOException {
    fly.start();
    client =
        FlyApiClient.builder()
            .apiUrl(fly.url("/").toString())
            .providerName("kvstore")
            .webhookSecret("hook-secret-1")
            .build();
    async = AsyncProvisioning.create(client);
  }

  @AfterEach
  void stop() {
    async.close();
    client.close();
    fly.close();
  }

  private static Resource pending(String id) {
    return Resource.builder(id, ResourceStatus.PENDING).name("kv-" + id).build();
  }

  @Test
  void reportsPendingThenReadyAndTellsFly() throws Exception {
    fly.enqueue(new MockResponse.Builder().code(200).build());
    CountDownLatch release = new CountDownLatch(1);

    async.start(
        pending("ext_1"),
        () -> {
          release.await(5, TimeUnit.SECONDS);
          return pending("ext_1").toBuilder().status(ResourceStatus.READY).build();
        });
    ResourceStatus before = async.status("ext_1").orElseThrow().status();
    release.countDown();
    RecordedRequest webhook = fly.takeRequest(5, TimeUnit.SECONDS);

    assertThat(before).isEqualTo(ResourceStatus.PENDING);
    assertThat(webhook).isNotNull();
    LifecycleWebhook sent = LifecycleWebhook.parse(webhook.getBody().toByteArray());
    assertThat(sent.action()).isEqualTo(WebhookAction.UPDATED);
    assertThat(sent.resource().status()).isEqualTo(ResourceStatus.READY);
    assertThat(async.status("ext_1").orElseThrow().status()).isEqualTo(ResourceStatus.READY);
  }

  @Test
  void aRefusalEndsInErrorWithItsMessage() throws Exception {
    fly.enqueue(new MockResponse.Builder().code(200).build());

    async.start(
        pending("ext_2"),
        () -> {
          throw ProviderException.unavailable("no capacity left in ams");
        });
    RecordedRequest webhook = fly.takeRequest(5, TimeUnit.SECONDS);

    Resource reported = LifecycleWebhook.parse(webhook.getBody().toByteArray()).resource();
    assertThat(reported.status()).isEqualTo(ResourceStatus.ERROR);
    assertThat(reported.message()).isEqualTo("no capacity left in ams");
    assertThat(async.status("ext_2").orElseThrow().message()).isEqualTo("no capacity left in ams");
  }

  @Test
  void anUnexpectedFailureEndsInErrorWithAGenericMessage() throws Exception {
    fly.enqueue(new MockResponse.Builder().code(200).build());

    async.start(
        pending("ext_3"),
        () -> {
          throw new IllegalStateException("password=hunter2 rejected");
        });
    RecordedRequest webhook = fly.takeRequest(5, TimeUnit.SECONDS);

    Resource reported = LifecycleWebhook.parse(webhook.getBody().toByteArray()).resource();
    assertThat(reported.status()).isEqualTo(ResourceStatus.ERROR);
    assertThat(reported.message()).doesNotContain("hunter2");
  }

  @Test
  void aForgottenResourceIsNotReported() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    async.start(
        pending("ext_4"),
        () -> {
          release.await(5, TimeUnit.SECONDS);
          return pending("ext_4").toBuilder().status(ResourceStatus.READY).build();
        });

    async.forget("ext_4");
    release.countDown();

    assertThat(fly.takeRequest(500, TimeUnit.MILLISECONDS)).isNull();
    assertThat(async.status("ext_4")).isEmpty();
  }

  @Test
  void startTakesOnlyAPendingResource() {
    assertThatThrownBy(
            () ->
                async.start(
                    Resource.builder("ext_5", ResourceStatus.READY).build(),
                    () -> pending("ext_5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PENDING");
  }
}
