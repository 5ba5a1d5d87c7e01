package dev.flyext;

import dev.flyext.internal.Hmac;
import dev.flyext.internal.Json;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Dashboard sign-in through Fly's OAuth: starts it at {@code /extensions/{id}/sso} and finishes it
 * at the callback. The {@code state} is bound to the browser by a cookie holding a signed,
 * short-lived value that names the extension; a state is accepted once.
 */
final class DashboardSignIn {
  static final String COOKIE_PREFIX = "flyext_sso_";
  private static final System.Logger LOG = System.getLogger("dev.flyext");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
  private static final int STATE_BYTES = 24;
  private static final int NAME_CHARS = 16;

  /** What one sign-in step answers. */
  record Result(
      int status, @Nullable String reason, Map<String, List<String>> headers, byte[] body) {}

  private final FlyApiClient client;
  private final ProviderHandler handler;
  private final Hmac stateKey;
  private final Duration ttl;
  private final Clock clock;
  private final String cookiePath;
  private final boolean secureCookie;
  private final InMemoryNonceStore usedStates;

  DashboardSignIn(
      FlyApiClient client,
      ProviderHandler handler,
      Hmac stateKey,
      Duration ttl,
      Clock clock,
      String cookiePath,
      boolean secureCookie) {
    this.client = client;
    this.handler = handler;
    this.stateKey = stateKey;
    this.ttl = ttl;
    this.clock = clock;
    this.cookiePath = cookiePath;
    this.secureCookie = secureCookie;
    this.usedStates = InMemoryNonceStore.create(100_000, clock);
  }

  static String randomSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** {@code GET /extensions/{id}/sso}: to the existing session, or on to Fly's authorize page. */
  Result start(ProviderRequest request, String extensionId) {
    if (handler.owningOrganization(extensionId).isEmpty()) {
      return refuse(404, "not_found", "no extension " + extensionId + " at this provider");
    }
    Optional<URI> existing =
        handler.existingSession(new DashboardRequest(extensionId, cookies(request)));
    if (existing.isPresent()) {
      return redirect(existing.get(), List.of(), "existing_session");
    }

    byte[] random = new byte[STATE_BYTES];
    RANDOM.nextBytes(random);
    String state = B64.encodeToString(random);
    long expiry = clock.instant().plus(ttl).getEpochSecond();
    String value = expiry + "." + B64.encodeToString(extensionId.getBytes(StandardCharsets.UTF_8));
    String cookie =
        cookieName(state)
            + "="
            + value
            + "."
            + mac(state, value)
            + "; Path="
            + cookiePath
            + "; Max-Age="
            + ttl.toSeconds()
            + "; HttpOnly; SameSite=Lax"
            + (secureCookie ? "; Secure" : "");
    return redirect(client.authorizeUrl(state), List.of(cookie), null);
  }

  /** The OAuth callback: check the state, exchange the code, check the user, hand over. */
  Result callback(ProviderRequest request, Map<String, String> query) {
    // rule: Fly said no (the user denied, or an error)
    String error = query.get("error");
    if (error != null) {
      String errorState = query.get("state");
      String[] clear =
          errorState == null || errorState.length() < NAME_CHARS
              ? new String[0]
              : new String[] {clearCookie(cookieName(errorState))};
      return refuse(
          400, "authorization_refused", "Fly did not authorize the sign-in: " + safe(error), clear);
    }

    // rule: the state must be this browser's, fresh, and unused
    String state = query.get("state");
    if (state == null || state.isEmpty()) {
      return refuse(
          400, "missing_state", "the sign-in callback has no state; start again from flyctl");
    }
    if (state.length() < NAME_CHARS || state.length() > 64) {
      return refuse(400, "foreign_state", "the sign-in state is not one this provider issued");
    }
    String name = cookieName(state);
    String cookie = cookies(request).get(name);
    String clearCookie = clearCookie(name);
    if (cookie == null) {
      return refuse(
          400,
          "foreign_state",
          "this sign-in was not started in this browser, or its cookie expired; start again from"
              + " flyctl ext dashboard");
    }
    String extensionId = checkCookie(state, cookie);
    if (extensionId == null) {
      return refuse(
          400, "foreign_state", "the sign-in state does not match this browser", clearCookie);
    }
    if (extensionId.isEmpty()) {
      return refuse(
          400, "expired_state", "the sign-in took too long; start again from flyctl", clearCookie);
    }
    String code = query.get("code");
    if (code == null || code.isEmpty()) {
      return refuse(400, "missing_code", "the sign-in callback has no code", clearCookie);
    }
    Instant stateExpiry = clock.instant().plus(ttl);
    switch (usedStates.record(state, stateExpiry)) {
      case REPLAYED:
        return refuse(
            400, "replayed_state", "this sign-in was already completed; start again", clearCookie);
      case FULL:
        return refuse(
            503, "sign_in_busy", "too many sign-ins at once; try again shortly", clearCookie);
      case ACCEPTED:
      default:
        break;
    }

    // Exchange the code and ask who the user is.
    TokenInfo info;
    try {
      OAuthTokenResponse token = client.exchangeCode(code);
      info = client.tokenInfo(token.accessToken());
    } catch (OAuthException e) {
      return refuse(
          400, "exchange_failed", "Fly refused the sign-in: " + e.errorCode(), clearCookie);
    } catch (FlyApiException e) {
      LOG.log(Level.WARNING, () -> "dashboard sign-in: " + e.getMessage());
      return refuse(
          400, "exchange_failed", "Fly's answer to the sign-in was unusable", clearCookie);
    } catch (IOException e) {
      LOG.log(Level.WARNING, () -> "dashboard sign-in: Fly unreachable: " + e.getMessage());
      return refuse(502, "fly_unreachable", "Fly could not be reached; try again", clearCookie);
    }

    // rule: the token must be for this client, and the user in the owning organization
    if (info.applicationUid() != null && !info.applicationUid().equals(client.clientId())) {
      return refuse(403, "wrong_client", "the sign-in was for another application", clearCookie);
    }
    Optional<String> owner = handler.owningOrganization(extensionId);
    if (owner.isEmpty()) {
      return refuse(
          404, "not_found", "no extension " + extensionId + " at this provider", clearCookie);
    }
    Optional<OrganizationMembership> membership = info.membership(owner.get());
    if (membership.isEmpty()) {
      return refuse(
          403,
          "foreign_organization",
          "your Fly user is not a member of the organization that owns this extension",
          clearCookie);
    }
    DashboardRole role;
    switch (membership.get().role()) {
      case "admin":
        role = DashboardRole.ADMIN;
        break;
      case "member":
        role = DashboardRole.MEMBER;
        break;
      default:
        return refuse(
            403, "unknown_role", "your role in the organization is not known here", clearCookie);
    }

    SignedInUser user =
        new SignedInUser(
            extensionId, owner.get(), role, info.userId(), info.userName(), info.email(), info);
    DashboardRedirect target = handler.signedIn(user);
    if (target == null) {
      throw new IllegalStateException("ProviderHandler.signedIn returned null");
    }
    List<String> cookies = new java.util.ArrayList<>(target.setCookies());
    cookies.add(clearCookie);
    return redirect(target.location(), cookies, null);
  }

  /**
   * The extension id the cookie names; null when the cookie is not ours or not this state's; empty
   * when it expired.
   */
  private @Nullable String checkCookie(String state, String cookie) {
    int lastDot = cookie.lastIndexOf('.');
    int firstDot = cookie.indexOf('.');
    if (firstDot <= 0 || lastDot <= firstDot) {
      return null;
    }
    String value = cookie.substring(0, lastDot);
    byte[] expected = mac(state, value).getBytes(StandardCharsets.US_ASCII);
    byte[] presented = cookie.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, presented)) {
      return null;
    }
    long expiry;
    try {
      expiry = Long.parseLong(cookie.substring(0, firstDot));
    } catch (NumberFormatException e) {
      return null;
    }
    if (clock.instant().getEpochSecond() > expiry) {
      return "";
    }
    try {
      return new String(
          B64_DECODER.decode(cookie.substring(firstDot + 1, lastDot)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private String clearCookie(String name) {
    return name
        + "=; Path="
        + cookiePath
        + "; Max-Age=0; HttpOnly; SameSite=Lax"
        + (secureCookie ? "; Secure" : "");
  }

  private String mac(String state, String value) {
    byte[] content = (state + "|" + value).getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(stateKey.compute(content));
  }

  private static String cookieName(String state) {
    StringBuilder name = new StringBuilder(COOKIE_PREFIX);
    for (int i = 0; i < NAME_CHARS && i < state.length(); i++) {
      char c = state.charAt(i);
      name.append(Character.isLetterOrDigit(c) && c < 0x80 ? c : '_');
    }
    return name.toString();
  }

  static Map<String, String> cookies(ProviderRequest request) {
    Map<String, String> cookies = new LinkedHashMap<>();
    for (String header : request.headers("Cookie")) {
      for (String pair : header.split(";")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          String name = pair.substring(0, equals).strip();
          String value = pair.substring(equals + 1).strip();
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          cookies.putIfAbsent(name, value);
        }
      }
    }
    return cookies;
  }

  private static String safe(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) : text;
    return cut.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static Result redirect(URI location, List<String> cookies, @Nullable String reason) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Location", List.of(location.toString()));
    if (!cookies.isEmpty()) {
      headers.put("Set-Cookie", cookies);
    }
    byte[] body =
        Json.write(
            json -> {
              json.writeStartObject();
              json.writeStringField("redirect", location.toString());
              json.writeEndObject();
            });
    return new Result(302, reason, headers, body);
  }

  private static Result refuse(int status, String reason, String message, String... cookies) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (cookies.length > 0) {
      headers.put("Set-Cookie", List.of(cookies));
    }
    byte[] body =
        Json.write(
            json -> {
              json.writeStartObject();
              json.writeStringField("error", message);
              json.writeStringField("reason", reason);
              json.writeEndObject();
            });
    return new Result(status, reason, headers, body);
  }
}
