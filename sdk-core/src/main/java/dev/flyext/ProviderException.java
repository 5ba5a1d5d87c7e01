package dev.flyext;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A refusal a handler chooses to send. Its message reaches the Fly user as the {@code error} of the
 * JSON answer, so write it for them and keep secrets out of it. Any other exception from a handler
 * becomes a 500 with a generic message.
 */
public final class ProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  private ProviderException(int status, String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message == null"), cause);
    this.status = status;
  }

  /** 400: the request cannot be served as asked, such as an unknown plan or region. */
  public static ProviderException invalidRequest(String message) {
    return new ProviderException(400, message, null);
  }

  /** 404: no such extension. Delete answers success anyway, as Fly retries deletes. */
  public static ProviderException notFound(String message) {
    return new ProviderException(404, message, null);
  }

  /** 409: the request conflicts with the resource's state, such as a name already taken. */
  public static ProviderException conflict(String message) {
    return new ProviderException(409, message, null);
  }

  /** 503: the provider cannot serve now and Fly may retry later. */
  public static ProviderException unavailable(String message) {
    return new ProviderException(503, message, null);
  }

  /** 503 with the underlying cause kept for the provider's own logs. */
  public static ProviderException unavailable(String message, Throwable cause) {
    return new ProviderException(503, message, Objects.requireNonNull(cause, "cause == null"));
  }

  static ProviderException notImplemented(String message) {
    return new ProviderException(501, message, null);
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }
}
