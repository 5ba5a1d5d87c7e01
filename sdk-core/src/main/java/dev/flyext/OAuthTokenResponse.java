package dev.flyext;

import dev.flyext.internal.JsonFields;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Fly's answer to an authorization code exchange ({@code POST {fly}/oauth/token}).
 *
 * <p>{@link #toString()} never prints the tokens.
 */
public final class OAuthTokenResponse {
  private final String accessToken;
  private final String tokenType;
  private final @Nullable Duration expiresIn;
  private final @Nullable String refreshToken;
  private final @Nullable String scope;
  private final @Nullable Instant createdAt;

  private OAuthTokenResponse(JsonFields fields) {
    this.accessToken = fields.requiredNonEmptyString("access_token");
    this.tokenType = fields.requiredString("token_type");
    Long seconds = fields.optionalLong("expires_in");
    this.expiresIn = seconds == null ? null : Duration.ofSeconds(seconds);
    this.refreshToken = fields.optionalString("refresh_token");
    this.scope = fields.optionalString("scope");
    this.createdAt = fields.optionalTimestamp("created_at");
  }

  /**
   * Reads a token response.
   *
   * @throws ProtocolException if {@code access_token} or {@code token_type} is missing or a field
   *     is mistyped
   */
  public static OAuthTokenResponse parse(byte[] json) {
    return new OAuthTokenResponse(
        JsonFields.of(JsonFields.parseObject(json, "token response"), "token response"));
  }

  public String accessToken() {
    return accessToken;
  }

  /** {@code Bearer} from Fly. */
  public String tokenType() {
    return tokenType;
  }

  public @Nullable Duration expiresIn() {
    return expiresIn;
  }

  public @Nullable String refreshToken() {
    return refreshToken;
  }

  /** The granted scope as one string; {@code read} from Fly. */
  public @Nullable String scope() {
    return scope;
  }

  public @Nullable Instant createdAt() {
    return createdAt;
  }

  @Override
  public String toString() {
    return "OAuthTokenResponse{tokenType=" + tokenType + ", expiresIn=" + expiresIn + "}";
  }
}
