package dev.flyext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.SignatureException.Reason;
import dev.flyext.internal.Hmac;
import dev.flyext.internal.JsonFields;
import dev.flyext.internal.PublicUrls;
import dev.flyext.internal.QueryStrings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verifies Fly's signed requests: the HMAC over the exact content received, then the signed {@code
 * timestamp} against a freshness window, the signed {@code url} against the provider's public URL,
 * and the {@code nonce} against replay. The HMAC is checked before anything is parsed.
 *
 * <p>Thread-safe; build one and share it. Secrets never appear in its messages.
 *
 * <pre>{@code
 * SignatureVerifier verifier = SignatureVerifier.builder()
 *     .secret(System.getenv("FLY_PROVISIONING_SECRET"))
 *     .publicBaseUrl("https://kv.example.com/flyio")
 *     .build();
 * }</pre>
 */
public final class SignatureVerifier {
  /** How old a signed timestamp may be, by default. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(300);

  /** How far in the future a signed timestamp may be, by default, for clock skew. */
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofSeconds(60);

  /** Longest nonce accepted. */
  public static final int MAX_NONCE_LENGTH = 256;

  private static final int HEX_LENGTH = Hmac.LENGTH * 2;
  private static final int MAX_HEADER_LENGTH = 512;

  private final List<Hmac> secrets;
  private final PublicUrls publicUrls;
  private final Clock clock;
  private final Duration maxAge;
  private final Duration maxFutureSkew;
  private final NonceStore nonceStore;
  private final boolean acceptBase64;

  private SignatureVerifier(Builder builder) {
    this.secrets = List.copyOf(builder.secrets);
    this.publicUrls = Objects.requireNonNull(builder.publicUrls);
    this.clock = builder.clock;
    this.maxAge = builder.maxAge;
    this.maxFutureSkew = builder.maxFutureSkew;
    // The default store must expire nonces by the same clock that judges freshness.
    this.nonceStore =
        builder.nonceStore != null
            ? builder.nonceStore
            : InMemoryNonceStore.create(InMemoryNonceStore.DEFAULT_CAPACITY, builder.clock);
    this.acceptBase64 = builder.acceptBase64;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The configured public base URL, normalized. */
  public String publicBaseUrl() {
    return publicUrls.base();
  }

  /** The URL Fly signs for a raw routed path such as {@code /extensions/ext_1}. */
  public String expectedUrl(String routedPath) {
    return publicUrls.expected(routedPath);
  }

  /**
   * Verifies a POST or PATCH: the signature over the raw {@code body}, then the {@code timestamp},
   * {@code url} and {@code nonce} inside it.
   *
   * @param signatureHeaders every value of {@code X-Signature} received, in order
   * @param routedPath the raw path under the public base URL, such as {@code /extensions}
   * @return the parsed JSON object, for typed parsing from the same bytes
   * @throws SignatureException if any check fails
   * @throws ProtocolException if the signature is valid but the body is not a JSON object
   */
  public ObjectNode verifyBody(List<String> signatureHeaders, byte[] body, String routedPath) {
    verifySignature(signatureHeaders, body);
    ObjectNode json = JsonFields.parseObject(body, "request body");
    verifySignedFields(
        bodyTimestamp(json.get("timestamp")),
        textField(json.get("nonce")),
        textField(json.get("url")),
        routedPath);
    return json;
  }

  /**
   * Verifies a GET or DELETE: the signature over the raw query string, then the {@code timestamp},
   * {@code url} and {@code nonce} parameters.
   *
   * @param rawQuery the query exactly as received, without the {@code ?}; null when there was none
   * @return the decoded query parameters
   * @throws SignatureException if any check fails
   */
  public Map<String, String> verifyQuery(
      List<String> signatureHeaders, @Nullable String rawQuery, String routedPath) {
    String query = rawQuery == null ? "" : rawQuery;
    verifySignature(signatureHeaders, query.getBytes(StandardCharsets.UTF_8));
    Map<String, String> parameters;
    try {
      parameters = QueryStrings.parse(query);
    } catch (IllegalArgumentException e) {
      throw new SignatureException(
          Reason.INCOMPLETE_SIGNED_FIELDS, "signed query string is unusable: " + e.getMessage());
    }
    verifySignedFields(
        queryTimestamp(parameters.get("timestamp")),
        parameters.get("nonce"),
        parameters.get("url"),
        routedPath);
    return parameters;
  }

  /**
   * Verifies a machine event body. Events may lack the signed fields, so each of {@code timestamp},
   * {@code url} and {@code nonce} is checked only when present.
   */
  ObjectNode verifyEventBody(List<String> signatureHeaders, byte[] body, String routedPath) {
    verifySignature(signatureHeaders, body);
    ObjectNode json = JsonFields.parseObject(body, "machine event");
    Instant timestamp = bodyTimestamp(json.get("timestamp"));
    if (timestamp != null) {
      checkFreshness(timestamp);
    }
    String url = textField(json.get("url"));
    if (url != null) {
      checkUrl(url, routedPath);
    }
    String nonce = textField(json.get("nonce"));
    if (nonce != null && timestamp != null) {
      checkNonce(nonce, timestamp);
    }
    return json;
  }

  /** Checks only the HMAC; the endpoint's callers use the full checks above. */
  void verifySignature(List<String> signatureHeaders, byte[] content) {
    byte[] presented = decodeHeader(signatureHeaders);

    // Compute every secret's HMAC so timing does not tell which one matched.
    boolean matched = false;
    for (Hmac secret : secrets) {
      matched |= MessageDigest.isEqual(secret.compute(content), presented);
    }
    if (!matched) {
      throw new SignatureException(
          Reason.SIGNATURE_MISMATCH,
          "X-Signature does not match the content received under any configured secret");
    }
  }

  private byte[] decodeHeader(List<String> headers) {
    // rule: exactly one header
    if (headers.isEmpty()) {
      throw new SignatureException(Reason.MISSING_SIGNATURE, "the X-Signature header is missing");
    }
    if (headers.size() > 1) {
      throw new SignatureException(
          Reason.MALFORMED_SIGNATURE,
          "X-Signature was sent " + headers.size() + " times; send it once");
    }
    String value = headers.get(0).strip();

    // rule: bounded length, so no huge header is processed
    if (value.isEmpty()) {
      throw new SignatureException(Reason.MISSING_SIGNATURE, "the X-Signature header is empty");
    }
    if (value.length() > MAX_HEADER_LENGTH) {
      throw new SignatureException(
          Reason.MALFORMED_SIGNATURE,
          "X-Signature is " + value.length() + " characters; expected 64 hex characters");
    }

    // rule: hex of the right length, either case
    if (value.length() == HEX_LENGTH && isHex(value)) {
      return decodeHex(value);
    }

    // rule: base64 only when enabled
    if (acceptBase64) {
      byte[] decoded = decodeBase64(value);
      if (decoded != null && decoded.length == Hmac.LENGTH) {
        return decoded;
      }
    }
    if (value.regionMatches(true, 0, "sha256=", 0, 7)) {
      throw new SignatureException(
          Reason.MALFORMED_SIGNATURE,
          "X-Signature has a \"sha256=\" prefix; Fly sends 64 hex characters with no prefix");
    }
    throw new SignatureException(
        Reason.MALFORMED_SIGNATURE,
        "X-Signature must be 64 hex characters (HMAC-SHA256), got "
            + value.length()
            + " characters"
            + (value.length() == HEX_LENGTH ? " that are not all hex" : ""));
  }

  private void verifySignedFields(
      @Nullable Instant timestamp, @Nullable String nonce, @Nullable String url, String routed) {
    List<String> missing = new ArrayList<>(3);
    if (timestamp == null) {
      missing.add("timestamp");
    }
    if (nonce == null || nonce.isEmpty()) {
      missing.add("nonce");
    }
    if (url == null || url.isEmpty()) {
      missing.add("url");
    }
    if (!missing.isEmpty()) {
      throw new SignatureException(
          Reason.INCOMPLETE_SIGNED_FIELDS,
          "signed content lacks " + String.join(", ", missing) + "; Fly signs all three");
    }
    checkFreshness(timestamp);
    checkUrl(url, routed);
    checkNonce(nonce, timestamp);
  }

  private void checkFreshness(Instant timestamp) {
    Instant now = clock.instant();
    if (timestamp.isBefore(now.minus(maxAge))) {
      throw new SignatureException(
          Reason.STALE_TIMESTAMP,
          "timestamp is "
              + Duration.between(timestamp, now).toSeconds()
              + " s old; at most "
              + maxAge.toSeconds()
              + " s is accepted. Check the sender's clock, or a delay in between");
    }
    if (timestamp.isAfter(now.plus(maxFutureSkew))) {
      throw new SignatureException(
          Reason.FUTURE_TIMESTAMP,
          "timestamp is "
              + Math.max(1, (Duration.between(now, timestamp).toMillis() + 999) / 1000)
              + " s in the future; at most "
              + maxFutureSkew.toSeconds()
              + " s is accepted. Check this server's clock");
    }
  }

  private void checkUrl(String url, String routedPath) {
    if (!publicUrls.matches(url, routedPath)) {
      throw new SignatureException(
          Reason.WRONG_URL,
          "signed url is not "
              + publicUrls.expected(routedPath)
              + "; check the public base URL this provider is configured with");
    }
  }

  private void checkNonce(String nonce, Instant timestamp) {
    if (nonce.length() > MAX_NONCE_LENGTH) {
      throw new SignatureException(
          Reason.INCOMPLETE_SIGNED_FIELDS,
          "nonce is " + nonce.length() + " characters; at most " + MAX_NONCE_LENGTH);
    }
    // Kept one second past the window, since timestamps have whole seconds.
    Instant expiresAt = timestamp.plus(maxAge).plusSeconds(1);
    switch (nonceStore.record(nonce, expiresAt)) {
      case ACCEPTED:
        return;
      case REPLAYED:
        throw new SignatureException(
            Reason.REPLAYED_NONCE, "nonce was already used; every request needs a new nonce");
      case FULL:
      default:
        throw new SignatureException(
            Reason.NONCE_STORE_FULL, "too many requests in the freshness window; retry later");
    }
  }

  private static @Nullable Instant bodyTimestamp(@Nullable JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    String text;
    if (value.isIntegralNumber()) {
      text = value.asText();
    } else if (value.isTextual()) {
      text = value.textValue();
    } else {
      throw new SignatureException(
          Reason.INCOMPLETE_SIGNED_FIELDS,
          "timestamp must be UNIX seconds as an integer or a string of digits, got "
              + JsonFields.typeName(value));
    }
    return parseSeconds(text);
  }

  private static @Nullable Instant queryTimestamp(@Nullable String value) {
    return value == null ? null : parseSeconds(value);
  }

  private static Instant parseSeconds(String text) {
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new SignatureException(
          Reason.INCOMPLETE_SIGNED_FIELDS, "timestamp must be UNIX seconds written as digits only");
    }
    long seconds = Long.parseLong(text);
    if (seconds > 99_999_999_999L) {
      throw new SignatureException(
          Reason.INCOMPLETE_SIGNED_FIELDS,
          "timestamp looks like milliseconds; Fly signs UNIX seconds");
    }
    return Instant.ofEpochSecond(seconds);
  }

  private static @Nullable String textField(@Nullable JsonNode value) {
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static boolean isHex(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private static byte[] decodeHex(String value) {
    byte[] bytes = new byte[value.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] =
          (byte)
              (Character.digit(value.charAt(2 * i), 16) * 16
                  + Character.digit(value.charAt(2 * i + 1), 16));
    }
    return bytes;
  }

  private static byte @Nullable [] decodeBase64(String value) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      try {
        return Base64.getUrlDecoder().decode(value);
      } catch (IllegalArgumentException again) {
        return null;
      }
    }
  }

  /** Collects a {@link SignatureVerifier}; not thread-safe. */
  public static final class Builder {
    private final List<Hmac> secrets = new ArrayList<>();
    private @Nullable PublicUrls publicUrls;
    private Clock clock = Clock.systemUTC();
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
    private @Nullable NonceStore nonceStore;
    private boolean acceptBase64;

    private Builder() {}

    /**
     * Adds an accepted secret. Call it once per secret during a rotation: a request signed with any
     * of them is accepted.
     */
    public Builder secret(String secret) {
      Objects.requireNonNull(secret, "secret == null");
      if (secret.isBlank()) {
        throw new IllegalArgumentException(
            "secret is blank: set the provisioning secret Fly issued to this provider");
      }
      secrets.add(Hmac.sha256(secret));
      return this;
    }

    /**
     * The provider's public base URL as Fly signs it, such as {@code https://kv.example.com/flyio}:
     * the registered base, not what the container sees behind a proxy.
     */
    public Builder publicBaseUrl(String publicBaseUrl) {
      Objects.requireNonNull(publicBaseUrl, "publicBaseUrl == null");
      this.publicUrls = PublicUrls.parse(publicBaseUrl);
      return this;
    }

    /** The clock freshness is judged by; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How old a timestamp may be; {@link #DEFAULT_MAX_AGE} by default. */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge == null");
      if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "maxAge must be between 1 s and 1 h, was " + maxAge.toSeconds() + " s");
      }
      this.maxAge = maxAge;
      return this;
    }

    /** How far ahead a timestamp may be; {@link #DEFAULT_MAX_FUTURE_SKEW} by default. */
    public Builder maxFutureSkew(Duration maxFutureSkew) {
      Objects.requireNonNull(maxFutureSkew, "maxFutureSkew == null");
      if (maxFutureSkew.isNegative() || maxFutureSkew.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "maxFutureSkew must be between 0 s and 10 min, was "
                + maxFutureSkew.toSeconds()
                + " s");
      }
      this.maxFutureSkew = maxFutureSkew;
      return this;
    }

    /**
     * Where nonces are remembered; a fresh {@link InMemoryNonceStore} by default. Several replicas
     * need one shared store.
     */
    public Builder nonceStore(NonceStore nonceStore) {
      this.nonceStore = Objects.requireNonNull(nonceStore, "nonceStore == null");
      return this;
    }

    /**
     * Also accepts a base64 signature. Fly is not known to send one; enable it only if it does,
     * since every accepted encoding is one more way in.
     */
    public Builder acceptBase64Signatures() {
      this.acceptBase64 = true;
      return this;
    }

    /**
     * @throws IllegalStateException naming what is missing
     */
    public SignatureVerifier build() {
      if (secrets.isEmpty()) {
        throw new IllegalStateException(
            "no secret configured: call secret(...) with the provisioning secret Fly issued");
      }
      if (publicUrls == null) {
        throw new IllegalStateException(
            "no public base URL configured: call publicBaseUrl(...) with the URL Fly signs,"
                + " such as https://kv.example.com/flyio");
      }
      return new SignatureVerifier(this);
    }
  }
}
