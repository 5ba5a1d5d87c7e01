package dev.flyext.examples;

import dev.flyext.DashboardRole;
import dev.flyext.SignedInUser;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The example's own dashboard sessions: after Fly's sign-in, the browser holds only an opaque
 * random id in the {@value #COOKIE} cookie; who signed in, and for which extension, stays here. A
 * session opens the dashboard of the one extension it was signed in for, and no other.
 *
 * <p>Thread-safe.
 */
final class KvSessions {
  static final String COOKIE = "kv_session";
  static final Duration TTL = Duration.ofHours(8);

  private static final int MAX_SESSIONS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Who signed in, for which extension, until when. */
  record Session(
      String extensionId,
      String organizationId,
      DashboardRole role,
      String userId,
      @Nullable String userName,
      @Nullable String email,
      Instant expires) {

    /** How the page names the user: the name Fly gave, else the email, else the id. */
    String displayName() {
      if (userName != null && !userName.isBlank()) {
        return userName;
      }
      return email != null && !email.isBlank() ? email : userId;
    }
  }

  private final Clock clock;
  private final boolean secureCookie;
  // Sessions are kept in memory: a restart signs everyone out, and several replicas need a shared
  // store.
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

  /**
   * @param secureCookie whether the cookie carries {@code Secure}: true when the provider's public
   *     URL is https
   */
  KvSessions(Clock clock, boolean secureCookie) {
    this.clock = clock;
    this.secureCookie = secureCookie;
  }

  /** Opens a session for {@code user} and answers the {@code Set-Cookie} value that names it. */
  String open(SignedInUser user) {
    Instant now = clock.instant();
    sessions.values().removeIf(session -> !session.expires().isAfter(now));
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.entrySet().stream()
          .min(Comparator.comparing(entry -> entry.getValue().expires()))
          .ifPresent(oldest -> sessions.remove(oldest.getKey()));
    }

    String id = newId();
    sessions.put(
        id,
        new Session(
            user.extensionId(),
            user.organizationId(),
            user.role(),
            user.userId(),
            user.userName(),
            user.email(),
            now.plus(TTL)));
    return COOKIE
        + "="
        + id
        + "; Path=/; Max-Age="
        + TTL.toSeconds()
        + "; HttpOnly; SameSite=Lax"
        + (secureCookie ? "; Secure" : "");
  }

  /**
   * The live session that {@code cookies} name, whatever extension it is for; empty when there is
   * no cookie, or its session is unknown or expired.
   */
  Optional<Session> find(Map<String, String> cookies) {
    String id = cookies.get(COOKIE);
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (!session.expires().isAfter(clock.instant())) {
      sessions.remove(id, session);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  /** Ends every session for {@code extensionId}, such as when it is deleted. */
  void endAll(String extensionId) {
    sessions.values().removeIf(session -> session.extensionId().equals(extensionId));
  }

  private static String newId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
