package dev.flyext;

import dev.flyext.internal.Json;
import dev.flyext.internal.JsonFields;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The body of a lifecycle webhook from provider to Fly ({@code POST
 * {fly}/api/hooks/extensions/{provider}}): what happened to which resource, with the signed {@code
 * timestamp}, {@code nonce} and {@code url}. The timestamp is written as a string of digits, as in
 * Fly's examples.
 */
public final class LifecycleWebhook {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookAction action;
  private final Resource resource;
  private final Instant timestamp;
  private final String nonce;
  private final String url;

  private LifecycleWebhook(
      WebhookAction action, Resource resource, Instant timestamp, String nonce, String url) {
    this.action = Objects.requireNonNull(action, "action == null");
    this.resource = Objects.requireNonNull(resource, "resource == null");
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp == null");
    this.nonce = Objects.requireNonNull(nonce, "nonce == null");
    this.url = Objects.requireNonNull(url, "url == null");
    if (nonce.isEmpty()) {
      throw new IllegalArgumentException("nonce is empty");
    }
  }

  /** A webhook with every field given, for tests and for replaying a stored webhook. */
  public static LifecycleWebhook of(
      WebhookAction action, Resource resource, Instant timestamp, String nonce, String url) {
    return new LifecycleWebhook(action, resource, timestamp, nonce, url);
  }

  /** A webhook stamped now, with a fresh random nonce, for {@code url}. */
  public static LifecycleWebhook create(
      WebhookAction action, Resource resource, Instant now, String url) {
    return new LifecycleWebhook(action, resource, now, randomNonce(), url);
  }

  /**
   * Reads a webhook body.
   *
   * @throws ProtocolException if a field is missing or mistyped
   */
  public static LifecycleWebhook parse(byte[] json) {
    JsonFields fields = JsonFields.of(JsonFields.parseObject(json, "webhook"), "webhook");
    WebhookAction action;
    try {
      action = WebhookAction.fromWireName(fields.requiredString("action"));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("webhook " + e.getMessage(), "action", e);
    }
    var resourceNode = fields.optionalObject("resource");
    if (resourceNode == null) {
      throw new ProtocolException("webhook field `resource` is required", "resource", null);
    }
    return new LifecycleWebhook(
        action,
        Resource.from(resourceNode),
        fields.requiredTimestamp("timestamp"),
        fields.requiredNonEmptyString("nonce"),
        fields.requiredString("url"));
  }

  static String randomNonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public WebhookAction action() {
    return action;
  }

  public Resource resource() {
    return resource;
  }

  public Instant timestamp() {
    return timestamp;
  }

  public String nonce() {
    return nonce;
  }

  public String url() {
    return url;
  }

  /** The exact bytes to sign and send. */
  public byte[] toJson() {
    return Json.write(
        json -> {
          json.writeStartObject();
          json.writeStringField("timestamp", Long.toString(timestamp.getEpochSecond()));
          json.writeStringField("action", action.wireName());
          json.writeFieldName("resource");
          resource.write(json);
          json.writeStringField("nonce", nonce);
          json.writeStringField("url", url);
          json.writeEndObject();
        });
  }

  @Override
  public String toString() {
    return "LifecycleWebhook{action=" + action + ", resource=" + resource.id() + "}";
  }
}
