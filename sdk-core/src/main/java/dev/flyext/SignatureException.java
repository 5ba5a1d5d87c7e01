package dev.flyext;

import java.util.Objects;

/**
 * A request that failed verification. The endpoint answers it with {@link Reason#status()} and a
 * JSON body naming the reason and linking to its troubleshooting entry; the handler is not called.
 * Messages never contain a secret, a signature or a body.
 */
public final class SignatureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Where troubleshooting entries live; each reason's {@link Reason#code()} is an anchor. */
  public static final String TROUBLESHOOTING_URL =
      "https://github.com/flyext/flyext-java/blob/main/docs/troubleshooting.md";

  /** Why verification failed. */
  public enum Reason {
    /** No {@code X-Signature} header. */
    MISSING_SIGNATURE("missing_signature", 401),
    /** A header that is not one hex HMAC-SHA256: wrong length, not hex, repeated. */
    MALFORMED_SIGNATURE("malformed_signature", 401),
    /** A well-formed signature that no configured secret produces over the content received. */
    SIGNATURE_MISMATCH("signature_mismatch", 401),
    /** Signed content without a usable {@code timestamp}, {@code nonce} or {@code url}. */
    INCOMPLETE_SIGNED_FIELDS("incomplete_signed_fields", 401),
    /** A timestamp older than the allowed age. */
    STALE_TIMESTAMP("stale_timestamp", 401),
    /** A timestamp further in the future than the allowed skew. */
    FUTURE_TIMESTAMP("future_timestamp", 401),
    /** A nonce already seen inside the freshness window. */
    REPLAYED_NONCE("replayed_nonce", 401),
    /** A signed {@code url} that is not this provider's public URL for the route. */
    WRONG_URL("wrong_url", 401),
    /** The nonce store is full of live nonces; the request may be retried later. */
    NONCE_STORE_FULL("nonce_store_full", 503);

    private final String code;
    private final int status;

    Reason(String code, int status) {
      this.code = code;
      this.status = status;
    }

    /** A stable code for logs and the JSON answer, such as {@code stale_timestamp}. */
    public String code() {
      return code;
    }

    /** The HTTP status the endpoint answers. */
    public int status() {
      return status;
    }

    /** The troubleshooting entry for this reason. */
    public String troubleshootingUrl() {
      return TROUBLESHOOTING_URL + "#" + code;
    }
  }

  private final Reason reason;

  public SignatureException(Reason reason, String message) {
    super(Objects.requireNonNull(message, "message == null"));
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public Reason reason() {
    return reason;
  }
}
