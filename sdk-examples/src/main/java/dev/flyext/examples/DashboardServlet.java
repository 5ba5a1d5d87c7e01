package dev.flyext.examples;

import dev.flyext.Resource;
import dev.flyext.examples.KvHandler.Dashboard;
import dev.flyext.examples.KvSessions.Session;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The extension's dashboard, a tiny HTML page at {@code /dashboard/{id}}: who is signed in (name,
 * organization, role) and the database (name, plan, status, regions), never its token. It opens
 * only with the {@link KvSessions#COOKIE} session that dashboard sign-in set for this extension;
 * otherwise it answers 401 (no session) or 403 (a session for another extension) with a page that
 * says how to sign in. Every value is HTML-escaped. Thread-safe.
 */
final class DashboardServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient KvHandler handler;
  private final String providerName;

  /**
   * @param providerName the provider's slug at Fly, for the {@code flyctl ext <slug> dashboard}
   *     hint
   */
  DashboardServlet(KvHandler handler, String providerName) {
    this.handler = handler;
    this.providerName = providerName;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo();
    String id = path == null || path.length() < 2 ? "" : path.substring(1);
    if (id.isEmpty() || id.indexOf('/') >= 0) {
      write(response, 404, page("Not found", "<p>There is no such dashboard.</p>"));
      return;
    }

    Dashboard dashboard = handler.dashboard(id, cookies(request));
    if (dashboard instanceof Dashboard.Shown shown) {
      write(response, 200, shownPage(shown));
    } else if (dashboard instanceof Dashboard.OtherExtension) {
      write(
          response,
          403,
          page(
              "Signed in for another database",
              "<p>This browser is signed in to the dashboard of another kv database.</p>\n"
                  + signInHint(id)));
    } else if (dashboard instanceof Dashboard.NotFound) {
      write(response, 404, page("Not found", "<p>This kv database no longer exists.</p>"));
    } else {
      write(
          response,
          401,
          page(
              "Sign in to see this dashboard",
              "<p>This page opens after you sign in through Fly.io.</p>\n" + signInHint(id)));
    }
  }

  private String shownPage(Dashboard.Shown shown) {
    Session session = shown.session();
    Resource resource = shown.resource();
    StringBuilder rows = new StringBuilder("<table>\n");
    row(rows, "Signed in as", session.displayName());
    row(rows, "Organization", shown.organizationName() + " (" + session.organizationId() + ")");
    row(rows, "Role", session.role().name().toLowerCase(Locale.ROOT));
    row(rows, "Database", resource.name() == null ? resource.id() : resource.name());
    row(rows, "Plan", resource.plan());
    row(rows, "Status", resource.status().wireName());
    row(rows, "Primary region", resource.primaryRegion());
    row(
        rows,
        "Read regions",
        resource.readRegions().isEmpty() ? "none" : String.join(", ", resource.readRegions()));
    rows.append("</table>\n");
    rows.append(
        "<p>Your app reads <code>KV_URL</code> and <code>KV_TOKEN</code> from its secrets;"
            + " the token is never shown here.</p>");
    return page("kv dashboard", rows.toString());
  }

  private static void row(StringBuilder rows, String label, @Nullable String value) {
    rows.append("<tr><th>")
        .append(escape(label))
        .append("</th><td>")
        .append(escape(value == null ? "-" : value))
        .append("</td></tr>\n");
  }

  private String signInHint(String id) {
    String sso =
        ExampleServer.MOUNT
            + "/extensions/"
            + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")
            + "/sso";
    return "<p>Start from <code>flyctl ext "
        + escape(providerName)
        + " dashboard</code>, or <a href=\""
        + escape(sso)
        + "\">sign in with Fly.io</a>.</p>";
  }

  private static String page(String title, String content) {
    return "<!doctype html>\n"
        + "<html lang=\"en\">\n"
        + "<head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title></head>\n"
        + "<body>\n"
        + "<h1>"
        + escape(title)
        + "</h1>\n"
        + content
        + "\n</body>\n"
        + "</html>\n";
  }

  /** Text made safe for HTML element content and quoted attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The cookies sent, by name; the first of a repeated name wins. */
  private static Map<String, String> cookies(HttpServletRequest request) {
    Map<String, String> cookies = new LinkedHashMap<>();
    Cookie[] sent = request.getCookies();
    if (sent != null) {
      for (Cookie cookie : sent) {
        cookies.putIfAbsent(cookie.getName(), cookie.getValue());
      }
    }
    return cookies;
  }

  private static void write(HttpServletResponse response, int status, String html)
      throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("text/html; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    response.setContentLength(body.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    }
  }
}
