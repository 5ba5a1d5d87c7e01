package dev.flyext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded {@link WebhookOutbox} in memory. Thread-safe. Its webhooks are lost if the process ends
 * before they are delivered: a provider that must not lose one across restarts needs a durable
 * outbox.
 */
public final class InMemoryWebhookOutbox implements WebhookOutbox {
  /** Webhooks held by {@link #create()}. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private final int capacity;
  private final Map<String, PendingWebhook> webhooks = new LinkedHashMap<>();

  private InMemoryWebhookOutbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  public static InMemoryWebhookOutbox create() {
    return new InMemoryWebhookOutbox(DEFAULT_CAPACITY);
  }

  public static InMemoryWebhookOutbox create(int capacity) {
    return new InMemoryWebhookOutbox(capacity);
  }

  @Override
  public synchronized boolean offer(PendingWebhook webhook) {
    if (webhooks.size() >= capacity) {
      return false;
    }
    webhooks.put(webhook.id(), webhook);
    return true;
  }

  @Override
  public synchronized void remove(PendingWebhook webhook) {
    webhooks.remove(webhook.id());
  }

  @Override
  public synchronized List<PendingWebhook> pending() {
    return List.copyOf(new ArrayList<>(webhooks.values()));
  }
}
