package dev.flyext;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Delivers queued webhooks in the background: one lane per resource, so a resource's webhooks keep
 * their order while a failing resource does not hold up the others. A lane waits for its retry on a
 * timer, not on a thread. Every webhook is in the outbox from before its first attempt until it is
 * delivered or reported as given up.
 */
final class WebhookDispatcher {
  private static final System.Logger LOG = System.getLogger("dev.flyext");
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final FlyApiClient client;
  private final WebhookOutbox outbox;
  private final RetryPolicy retry;
  private final BiConsumer<PendingWebhook, Exception> failureListener;
  private final Object lock = new Object();
  private final Map<String, ArrayDeque<Item>> lanes = new HashMap<>();
  private int queued;
  private boolean accepting = true;
  private boolean stopped;
  private @Nullable ScheduledThreadPoolExecutor executor;

  WebhookDispatcher(
      FlyApiClient client,
      WebhookOutbox outbox,
      RetryPolicy retry,
      @Nullable BiConsumer<PendingWebhook, Exception> failureListener) {
    this.client = client;
    this.outbox = outbox;
    this.retry = retry;
    this.failureListener =
        failureListener != null ? failureListener : WebhookDispatcher::logFailure;

    // Resend what a durable outbox kept from an earlier run.
    for (PendingWebhook webhook : outbox.pending()) {
      enqueue(new Item(webhook, new CompletableFuture<>()));
    }
  }

  CompletableFuture<WebhookDelivery> submit(PendingWebhook webhook) {
    synchronized (lock) {
      if (!accepting) {
        throw new IllegalStateException("the client is shut down; it takes no more webhooks");
      }
      if (!outbox.offer(webhook)) {
        throw new WebhookQueueFullException(
            "the webhook outbox is full ("
                + queued
                + " queued); "
                + webhook.action()
                + " for "
                + webhook.resourceId()
                + " was not queued");
      }
      Item item = new Item(webhook, new CompletableFuture<>());
      enqueue(item);
      return item.future;
    }
  }

  int queued() {
    synchronized (lock) {
      return queued;
    }
  }

  /**
   * Waits up to {@code timeout} for the queue to drain, then cancels the attempts in flight and
   * stops, within about a second more. A webhook delivered meanwhile completes as delivered; the
   * others complete exceptionally and stay in the outbox.
   */
  List<PendingWebhook> shutdown(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ScheduledThreadPoolExecutor stopping;
    synchronized (lock) {
      accepting = false;
      while (queued > 0) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, remaining);
      }
      stopped = true;
      stopping = executor;
      for (ArrayDeque<Item> lane : lanes.values()) {
        for (Item item : lane) {
          okhttp3.Call call = item.call;
          if (call != null) {
            call.cancel();
          }
        }
      }
    }
    if (stopping != null) {
      stopping.shutdownNow();
      stopping.awaitTermination(1, TimeUnit.SECONDS);
    }
    synchronized (lock) {
      for (ArrayDeque<Item> lane : lanes.values()) {
        for (Item item : lane) {
          item.future.completeExceptionally(
              new IOException("client shut down before " + item.webhook.id() + " was delivered"));
        }
      }
    }
    return outbox.pending();
  }

  private void enqueue(Item item) {
    synchronized (lock) {
      ArrayDeque<Item> lane =
          lanes.computeIfAbsent(item.webhook.resourceId(), id -> new ArrayDeque<>());
      lane.add(item);
      queued++;
      if (lane.size() == 1) {
        executor().execute(() -> deliverHead(item.webhook.resourceId()));
      }
    }
  }

  private ScheduledThreadPoolExecutor executor() {
    if (executor == null) {
      int number = CLIENTS.incrementAndGet();
      AtomicInteger threads = new AtomicInteger();
      executor =
          new ScheduledThreadPoolExecutor(
              2,
              task -> {
                Thread thread =
                    new Thread(task, "flyext-webhooks-" + number + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      executor.setRemoveOnCancelPolicy(true);
    }
    return executor;
  }

  private void deliverHead(String resourceId) {
    Item item;
    synchronized (lock) {
      ArrayDeque<Item> lane = lanes.get(resourceId);
      if (lane == null || lane.isEmpty()) {
        return;
      }
      item = lane.peek();
    }

    item.attempts++;
    FlyApiClient.Attempt attempt = client.attempt(item.webhook, call -> item.call = call);
    item.call = null;
    if (attempt.delivered()) {
      finish(item, null, new WebhookDelivery(item.webhook, attempt.status, item.attempts));
      return;
    }
    synchronized (lock) {
      // rule: once stopped, an undelivered webhook stays in the outbox, neither retried nor failed
      if (stopped) {
        return;
      }
      if (attempt.retryable && item.attempts < retry.maxAttempts()) {
        Duration wait = retry.backoff(item.attempts, attempt.retryAfter);
        executor().schedule(() -> deliverHead(resourceId), wait.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
    }
    finish(item, attempt.failure(item.attempts), null);
  }

  private void finish(Item item, @Nullable Exception failure, @Nullable WebhookDelivery delivery) {
    outbox.remove(item.webhook);

    // The queue counts it as done before anyone waiting on its future hears of it.
    String resourceId = item.webhook.resourceId();
    synchronized (lock) {
      ArrayDeque<Item> lane = lanes.get(resourceId);
      lane.poll();
      queued--;
      if (lane.isEmpty()) {
        lanes.remove(resourceId);
      } else if (!stopped) {
        executor().execute(() -> deliverHead(resourceId));
      }
      lock.notifyAll();
    }

    if (failure != null) {
      try {
        failureListener.accept(item.webhook, failure);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "webhook failure listener threw; ignored", e);
      }
      item.future.completeExceptionally(failure);
    } else {
      item.future.complete(delivery);
    }
  }

  private static void logFailure(PendingWebhook webhook, Exception failure) {
    LOG.log(
        Level.ERROR,
        () ->
            "webhook "
                + webhook.id()
                + " ("
                + webhook.action()
                + " for "
                + webhook.resourceId()
                + ") given up: "
                + failure.getMessage());
  }

  private static final class Item {
    final PendingWebhook webhook;
    final CompletableFuture<WebhookDelivery> future;
    int attempts;
    volatile okhttp3.@Nullable Call call;

    Item(PendingWebhook webhook, CompletableFuture<WebhookDelivery> future) {
      this.webhook = webhook;
      this.future = future;
    }
  }
}
