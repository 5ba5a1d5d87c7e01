package dev.flyext;

import org.jspecify.annotations.Nullable;

/**
 * Fly's OAuth server refused a call with an OAuth error, such as {@code invalid_grant} for a code
 * that was already used or has expired. See {@code docs/troubleshooting.md#oauth}.
 */
public final class OAuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String errorCode;
  private final @Nullable String description;
  private final int status;

  OAuthException(String errorCode, @Nullable String description, int status) {
    super(
        "Fly refused the token exchange: "
            + errorCode
            + (description == null ? "" : " (" + FlyApiException.excerpt(description) + ")")
            + "; see "
            + SignatureException.TROUBLESHOOTING_URL
            + "#oauth");
    this.errorCode = errorCode;
    this.description = description;
    this.status = status;
  }

  /** The OAuth {@code error} code, such as {@code invalid_grant}. */
  public String errorCode() {
    return errorCode;
  }

  /** The {@code error_description}, when Fly sent one. */
  public @Nullable String description() {
    return description;
  }

  /** The HTTP status of the refusal. */
  public int status() {
    return status;
  }
}
