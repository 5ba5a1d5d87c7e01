package dev.flyext;

import org.jspecify.annotations.Nullable;

/**
 * A message that does not follow the protocol: malformed JSON, a missing required field or a field
 * of the wrong type. The endpoint answers it with status 400 and this exception's message, which
 * names the field and never quotes its value.
 */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String field;

  public ProtocolException(String message, @Nullable String field, @Nullable Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  public ProtocolException(String message) {
    this(message, null, null);
  }

  /** The JSON field or query parameter at fault, when one is. */
  public @Nullable String field() {
    return field;
  }
}
