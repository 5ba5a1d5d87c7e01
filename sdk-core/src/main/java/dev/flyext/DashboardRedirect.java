package dev.flyext;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where to send a browser after dashboard sign-in, and the cookies to set on the way, such as the
 * provider's own session cookie. The location is the provider's choice, never a URL taken from the
 * request.
 */
public final class DashboardRedirect {
  private final URI location;
  private final List<String> setCookies;

  private DashboardRedirect(URI location, List<String> setCookies) {
    this.location = location;
    this.setCookies = List.copyOf(setCookies);
  }

  /** Redirects to {@code location}, absolute or relative to the provider's host. */
  public static DashboardRedirect to(URI location) {
    Objects.requireNonNull(location, "location == null");
    return new DashboardRedirect(location, List.of());
  }

  public static DashboardRedirect to(String location) {
    return to(URI.create(Objects.requireNonNull(location, "location == null")));
  }

  /**
   * Also sets a cookie: {@code setCookie} is a whole {@code Set-Cookie} header value, such as
   * {@code session=abc; Path=/; HttpOnly; Secure; SameSite=Lax}.
   */
  public DashboardRedirect withCookie(String setCookie) {
    Objects.requireNonNull(setCookie, "setCookie == null");
    if (setCookie.indexOf('\r') >= 0 || setCookie.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a Set-Cookie value must not contain line breaks");
    }
    List<String> cookies = new ArrayList<>(setCookies);
    cookies.add(setCookie);
    return new DashboardRedirect(location, cookies);
  }

  public URI location() {
    return location;
  }

  public List<String> setCookies() {
    return setCookies;
  }
}
