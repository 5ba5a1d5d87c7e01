package dev.flyext;

import org.jspecify.annotations.Nullable;

/**
 * Fly's API answered something other than success: an error status, or a body that is not what the
 * call expects (an HTML page, garbage). Carries the status, the content type and a short excerpt of
 * the body, never a token or a secret.
 */
public final class FlyApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Longest body excerpt kept. */
  static final int EXCERPT_LENGTH = 200;

  private final int status;
  private final @Nullable String contentType;
  private final String bodyExcerpt;
  private final boolean retryable;

  FlyApiException(
      String message,
      int status,
      @Nullable String contentType,
      String bodyExcerpt,
      boolean retryable,
      @Nullable Throwable cause) {
    super(message, cause);
    this.status = status;
    this.contentType = contentType;
    this.bodyExcerpt = bodyExcerpt;
    this.retryable = retryable;
  }

  /** The HTTP status Fly answered. */
  public int status() {
    return status;
  }

  /** The {@code Content-Type} of the answer, when it had one. */
  public @Nullable String contentType() {
    return contentType;
  }

  /** The first characters of the answer's body, with control characters replaced. */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }

  /** Whether the same call may succeed later (429, 5xx). */
  public boolean retryable() {
    return retryable;
  }

  static String excerpt(@Nullable String body) {
    if (body == null) {
      return "";
    }
    String cut = body.length() > EXCERPT_LENGTH ? body.substring(0, EXCERPT_LENGTH) + "..." : body;
    StringBuilder clean = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      clean.append(Character.isISOControl(c) ? ' ' : c);
    }
    return clean.toString().strip();
  }
}
