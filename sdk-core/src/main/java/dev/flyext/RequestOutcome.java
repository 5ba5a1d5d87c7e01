package dev.flyext;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One handled request, for the provider's request log: never a secret, a signature or a body.
 *
 * @param method the HTTP method
 * @param route the matched route template, such as {@code /extensions/{id}}, or the raw path when
 *     nothing matched (cut to 200 characters)
 * @param extensionId the {@code {id}} of the route, when it has one
 * @param status the HTTP status answered
 * @param reason a stable code for a refusal, such as {@code stale_timestamp}; null on success
 * @param elapsed time spent in the endpoint, handler included
 */
public record RequestOutcome(
    String method,
    String route,
    @Nullable String extensionId,
    int status,
    @Nullable String reason,
    Duration elapsed) {

  /** Receives one outcome per request, on the request's thread; must not throw. */
  @FunctionalInterface
  public interface Listener {
    void onOutcome(RequestOutcome outcome);
  }

  /**
   * One line: {@code POST /extensions 401 stale_timestamp 3 ms}. The route and the id come from the
   * caller, so anything but printable ASCII in them is written as {@code ?}, and spaces as {@code
   * %20}: a caller cannot forge a second log line.
   */
  public String toLogLine() {
    StringBuilder line = new StringBuilder();
    line.append(method).append(' ').append(SafeText.logToken(route));
    if (extensionId != null) {
      line.append(" id=").append(SafeText.logToken(extensionId));
    }
    line.append(' ').append(status);
    if (reason != null) {
      line.append(' ').append(reason);
    }
    line.append(' ').append(elapsed.toMillis()).append(" ms");
    return line.toString();
  }
}
