package dev.flyext.testkit;

import dev.flyext.LifecycleWebhook;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A webhook that reached the stand-in and passed its signature check.
 *
 * @param webhook the parsed body
 * @param body the exact bytes received
 * @param signature the {@code X-Signature} header received
 */
public record ReceivedWebhook(LifecycleWebhook webhook, byte[] body, String signature) {
  public ReceivedWebhook {
    Objects.requireNonNull(webhook, "webhook == null");
    body = body.clone();
    Objects.requireNonNull(signature, "signature == null");
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
