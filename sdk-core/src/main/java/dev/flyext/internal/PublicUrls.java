package dev.flyext.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The provider's public base URL, as Fly signs it, and the comparison of a signed {@code url} with
 * it. Scheme and host compare without case, default ports are dropped, percent-escapes compare
 * without case, and a trailing slash is ignored. The signed URL's query and fragment are ignored:
 * for GET and DELETE Fly may or may not include the query.
 */
public final class PublicUrls {
  private final String origin;
  private final String basePath;

  private PublicUrls(String origin, String basePath) {
    this.origin = origin;
    this.basePath = basePath;
  }

  /**
   * Parses the configured base URL, such as {@code https://kv.example.com/flyio}.
   *
   * @throws IllegalArgumentException saying what is wrong with it and how to write it
   */
  public static PublicUrls parse(String baseUrl) {
    URI uri;
    try {
      uri = new URI(baseUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "public base URL \"" + baseUrl + "\" is not a URL: " + e.getReason(), e);
    }
    Normalized normalized = normalize(uri);
    if (normalized == null) {
      throw new IllegalArgumentException(
          "public base URL \""
              + baseUrl
              + "\" must be absolute http or https with a host, such as"
              + " https://kv.example.com/flyio");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "public base URL \"" + baseUrl + "\" must not have a query or fragment");
    }
    return new PublicUrls(normalized.origin, normalized.path);
  }

  /** The normalized base URL, without a trailing slash. */
  public String base() {
    return origin + basePath;
  }

  /** The URL Fly signs for {@code routedPath}, a raw path such as {@code /extensions/ext_1}. */
  public String expected(String routedPath) {
    return origin + stripTrailingSlash(basePath + normalizeEscapes(routedPath));
  }

  /** True when {@code signedUrl} names {@code routedPath} under this base. */
  public boolean matches(String signedUrl, String routedPath) {
    String expectedPath = stripTrailingSlash(basePath + normalizeEscapes(routedPath));
    // Fly signs the URL in the form expected() gives; that form needs no parsing to compare.
    if (isExpectedForm(signedUrl, expectedPath)) {
      return true;
    }

    URI uri;
    try {
      uri = new URI(signedUrl);
    } catch (URISyntaxException e) {
      return false;
    }
    // rule: user info or a fragment has no place in a URL Fly signs
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      return false;
    }
    Normalized normalized = normalize(uri);
    return normalized != null
        && normalized.origin.equals(origin)
        && normalized.path.equals(expectedPath);
  }

  /**
   * True when {@code url} is this origin and {@code path}, then nothing or a query, written only
   * with characters a URI allows unescaped and well-formed escapes. Such a URL parses to exactly
   * that origin and path, so {@link #matches} would accept it after parsing too.
   */
  private boolean isExpectedForm(String url, String path) {
    int end = origin.length() + path.length();
    if (!url.startsWith(origin) || !url.startsWith(path, origin.length())) {
      return false;
    }
    if (url.length() != end && url.charAt(end) != '?') {
      return false;
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '%') {
        if (i + 2 >= url.length() || !isHex(url.charAt(i + 1)) || !isHex(url.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!isPlain(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private record Normalized(String origin, String path) {}

  private static @Nullable Normalized normalize(URI uri) {
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null || uri.isOpaque()) {
      return null;
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("https") && port == 443);
    String origin =
        scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
    return new Normalized(origin, stripTrailingSlash(normalizeEscapes(rawPath)));
  }

  private static String stripTrailingSlash(String path) {
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }

  /** Upper-cases the hex digits of percent-escapes, so {@code %2f} equals {@code %2F}. */
  private static String normalizeEscapes(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      out.append(c);
      if (c == '%' && i + 2 < path.length()) {
        out.append(Character.toUpperCase(path.charAt(i + 1)));
        out.append(Character.toUpperCase(path.charAt(i + 2)));
        i += 2;
      }
    }
    return out.toString();
  }
}
