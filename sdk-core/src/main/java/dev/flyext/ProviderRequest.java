package dev.flyext;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as a framework adapter hands it to {@link ProviderEndpoint#handle}: the method,
 * the raw path under the mount point, the raw query, the headers and the unread body. The servlet
 * module builds these; an adapter for another framework builds them the same way.
 */
public final class ProviderRequest {
  /** Looks up every value of one header, by case-insensitive name. */
  @FunctionalInterface
  public interface Headers {
    List<String> values(String name);
  }

  private final String method;
  private final String routedPath;
  private final @Nullable String rawQuery;
  private final Headers headers;
  private final InputStream body;
  private final long contentLength;
  private final boolean secure;

  private ProviderRequest(Builder builder) {
    this.method = builder.method;
    this.routedPath = builder.routedPath;
    this.rawQuery = builder.rawQuery;
    this.headers = builder.headers;
    this.body = builder.body;
    this.contentLength = builder.contentLength;
    this.secure = builder.secure;
  }

  /**
   * Starts a request.
   *
   * @param method the HTTP method in upper case
   * @param routedPath the raw (still percent-encoded) path below the mount point, such as {@code
   *     /extensions/ext_1}
   */
  public static Builder builder(String method, String routedPath) {
    return new Builder(method, routedPath);
  }

  public String method() {
    return method;
  }

  public String routedPath() {
    return routedPath;
  }

  public @Nullable String rawQuery() {
    return rawQuery;
  }

  public List<String> headers(String name) {
    List<String> values = headers.values(name);
    return values == null ? List.of() : values;
  }

  public @Nullable String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The unread body; the endpoint reads it at most once, up to its size cap. */
  public InputStream body() {
    return body;
  }

  /** The declared {@code Content-Length}, or -1 when unknown (chunked). */
  public long contentLength() {
    return contentLength;
  }

  /** Whether the browser reached the provider over HTTPS (for cookie attributes). */
  public boolean secure() {
    return secure;
  }

  /** Collects a {@link ProviderRequest}; not thread-safe. */
  public static final class Builder {
    private final String method;
    private final String routedPath;
    private @Nullable String rawQuery;
    private Headers headers = name -> List.of();
    private InputStream body = new ByteArrayInputStream(new byte[0]);
    private long contentLength = -1;
    private boolean secure;

    private Builder(String method, String routedPath) {
      this.method = Objects.requireNonNull(method, "method == null").toUpperCase(Locale.ROOT);
      this.routedPath = Objects.requireNonNull(routedPath, "routedPath == null");
    }

    public Builder rawQuery(@Nullable String rawQuery) {
      this.rawQuery = rawQuery;
      return this;
    }

    public Builder headers(Headers headers) {
      this.headers = Objects.requireNonNull(headers, "headers == null");
      return this;
    }

    /** Headers from a map; names are matched without case. */
    public Builder headers(Map<String, List<String>> headers) {
      TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
      this.headers = name -> copy.getOrDefault(name, List.of());
      return this;
    }

    public Builder body(InputStream body, long contentLength) {
      this.body = Objects.requireNonNull(body, "body == null");
      this.contentLength = contentLength;
      return this;
    }

    public Builder body(byte[] body) {
      Objects.requireNonNull(body, "body == null");
      return body(new ByteArrayInputStream(body), body.length);
    }

    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    public ProviderRequest build() {
      return new ProviderRequest(this);
    }
  }
}
