package dev.flyext;

import java.util.List;

/**
 * Holds queued webhooks until they are delivered or given up, so that none is lost silently. The
 * client adds a webhook before it tries to send it and removes it only once it is delivered or
 * reported as failed. Implementations must be thread-safe.
 *
 * <p>{@link InMemoryWebhookOutbox} loses its content when the process ends; a durable outbox (a
 * database table) keeps webhooks across restarts, and the client resends what {@link #pending()}
 * returns when it starts.
 */
public interface WebhookOutbox {
  /**
   * Stores {@code webhook}.
   *
   * @return false when the outbox is full; nothing was stored
   */
  boolean offer(PendingWebhook webhook);

  /** Forgets a webhook that was delivered or reported as failed. */
  void remove(PendingWebhook webhook);

  /** Every stored webhook, oldest first. */
  List<PendingWebhook> pending();
}
