package dev.flyext;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A webhook waiting for delivery: what happened to which resource. This is what a {@link
 * WebhookOutbox} stores; {@link Resource#toJson()} and {@link Resource#parse} turn the resource
 * into bytes and back.
 *
 * <p>Each attempt is stamped afresh: a new {@code timestamp} and {@code nonce}, serialized once to
 * bytes, signed over those bytes, and sent as those bytes. So a retry minutes later is still fresh
 * for Fly, and a retry after a lost answer is not mistaken for a replay.
 *
 * @param id a unique id for this delivery
 * @param action what happened
 * @param resource the resource as it now is; deliveries for one resource keep their order
 * @param createdAt when it was queued
 */
public record PendingWebhook(
    String id, WebhookAction action, Resource resource, Instant createdAt) {
  public PendingWebhook {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(action, "action == null");
    Objects.requireNonNull(resource, "resource == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
  }

  /** The id of the resource it is about. */
  public String resourceId() {
    return resource.id();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof PendingWebhook that && id.equals(that.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "PendingWebhook{id=" + id + ", action=" + action + ", resourceId=" + resourceId() + "}";
  }
}
