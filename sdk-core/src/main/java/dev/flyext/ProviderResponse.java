package dev.flyext;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ProviderEndpoint#handle} answers: a status, headers and a body, always JSON in UTF-8
 * unless the route redirects a browser. Adapters copy it to their framework's response.
 */
public final class ProviderResponse {
  static final String JSON_UTF8 = "application/json; charset=utf-8";

  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  ProviderResponse(int status, Map<String, List<String>> headers, byte[] body) {
    this.status = status;
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = Objects.requireNonNull(body, "body == null");
  }

  static ProviderResponse json(int status, byte[] body) {
    return json(status, body, Map.of());
  }

  static ProviderResponse json(int status, byte[] body, Map<String, List<String>> extraHeaders) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of(JSON_UTF8));
    headers.put("Cache-Control", List.of("no-store"));
    headers.put("X-Content-Type-Options", List.of("nosniff"));
    headers.putAll(extraHeaders);
    return new ProviderResponse(status, headers, body);
  }

  public int status() {
    return status;
  }

  /** Header names in the case to send, each with its values in order. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8, for tests and logs of non-secret answers. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ProviderResponse{status=" + status + ", bytes=" + body.length + "}";
  }
}
