package dev.flyext;

import dev.flyext.internal.Hmac;
import dev.flyext.internal.QueryStrings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs content the way Fly does: lowercase hex HMAC-SHA256 of the exact bytes, keyed with the
 * secret's UTF-8 bytes. Use it to send valid requests to your own endpoint in tests, and to sign
 * webhooks. Thread-safe.
 *
 * <pre>{@code
 * RequestSigner signer = RequestSigner.of(secret);
 * String query = RequestSigner.query(url, Instant.now(), RequestSigner.randomNonce());
 * // GET url + "?" + query with header X-Signature: signer.sign(query)
 * }</pre>
 */
public final class RequestSigner {
  /** The header that carries the signature. */
  public static final String SIGNATURE_HEADER = "X-Signature";

  private final Hmac hmac;

  private RequestSigner(Hmac hmac) {
    this.hmac = hmac;
  }

  /** A signer keyed with {@code secret}. */
  public static RequestSigner of(String secret) {
    Objects.requireNonNull(secret, "secret == null");
    return new RequestSigner(Hmac.sha256(secret));
  }

  /** The signature of {@code content}: 64 lowercase hex characters. */
  public String sign(byte[] content) {
    Objects.requireNonNull(content, "content == null");
    return HexFormat.of().formatHex(hmac.compute(content));
  }

  /** The signature of {@code content}'s UTF-8 bytes, such as a raw query string. */
  public String sign(String content) {
    Objects.requireNonNull(content, "content == null");
    return sign(content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The raw query string Fly sends on GET and DELETE: {@code nonce}, {@code timestamp} and {@code
   * url}, form-encoded, in that order. Sign the returned string as it is.
   */
  public static String query(String url, Instant timestamp, String nonce) {
    return query(url, timestamp, nonce, Map.of());
  }

  /** Like {@link #query(String, Instant, String)}, with further parameters appended in order. */
  public static String query(
      String url, Instant timestamp, String nonce, Map<String, String> extraParameters) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("nonce", Objects.requireNonNull(nonce, "nonce == null"));
    parameters.put("timestamp", Long.toString(timestamp.getEpochSecond()));
    parameters.put("url", Objects.requireNonNull(url, "url == null"));
    for (Map.Entry<String, String> extra : extraParameters.entrySet()) {
      if (parameters.putIfAbsent(extra.getKey(), extra.getValue()) != null) {
        throw new IllegalArgumentException(
            "extra query parameter "
                + extra.getKey()
                + " would replace a signed one; pass it as"
                + " the url, timestamp or nonce argument instead");
      }
    }
    return QueryStrings.join(parameters);
  }

  /** 32 random hex characters from a {@link java.security.SecureRandom}. */
  public static String randomNonce() {
    return LifecycleWebhook.randomNonce();
  }
}
