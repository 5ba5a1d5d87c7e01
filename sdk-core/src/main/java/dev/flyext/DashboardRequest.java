package dev.flyext;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A browser asking for an extension's dashboard ({@code GET {base}/extensions/{id}/sso}). It is not
 * signed: only the provider's own session cookie, or Fly's OAuth, can say who it is.
 */
public final class DashboardRequest {
  private final String extensionId;
  private final Map<String, String> cookies;

  DashboardRequest(String extensionId, Map<String, String> cookies) {
    this.extensionId = Objects.requireNonNull(extensionId, "extensionId == null");
    this.cookies = Map.copyOf(cookies);
  }

  /** Creates a request as the endpoint would, for a handler's unit tests. */
  public static DashboardRequest of(String extensionId, Map<String, String> cookies) {
    return new DashboardRequest(extensionId, cookies);
  }

  public String extensionId() {
    return extensionId;
  }

  /** Every cookie the browser sent, by name. */
  public Map<String, String> cookies() {
    return cookies;
  }

  public @Nullable String cookie(String name) {
    return cookies.get(name);
  }

  @Override
  public String toString() {
    return "DashboardRequest{extensionId=" + extensionId + ", cookies=" + cookies.keySet() + "}";
  }
}
