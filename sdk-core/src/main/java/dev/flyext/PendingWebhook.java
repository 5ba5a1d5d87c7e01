package dev.flyext;

import java.time.Instant;
import java.util.Objects;

/**
 * A webhook waiting for delivery: its body, serialized and signed once, and the same bytes on every
 * attempt. This is what a {@link WebhookOutbox} stores.
 *
 * @param id a unique id for this delivery
 * @param resourceId the resource it is about; deliveries for one resource keep their order
 * @param action what happened
 * @param body the exact bytes sent
 * @param signature the hex HMAC-SHA256 of {@code body} under the webhook secret
 * @param createdAt when it was queued
 */
public record PendingWebhook(
    String id,
    String resourceId,
    WebhookAction action,
    byte[] body,
    String signature,
    Instant createdAt) {
  public PendingWebhook {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(resourceId, "resourceId == null");
    Objects.requireNonNull(action, "action == null");
    body = Objects.requireNonNull(body, "body == null").clone();
    Objects.requireNonNull(signature, "signature == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PendingWebhook that && id.equals(that.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "PendingWebhook{id=" + id + ", action=" + action + ", resourceId=" + resourceId + "}";
  }
}
