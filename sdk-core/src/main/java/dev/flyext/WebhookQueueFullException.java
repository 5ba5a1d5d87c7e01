package dev.flyext;

/**
 * The webhook outbox is full, so the webhook was not queued. Nothing was dropped: the caller still
 * holds it and may retry, send it blocking, or slow down.
 */
public final class WebhookQueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  WebhookQueueFullException(String message) {
    super(message);
  }
}
