package dev.flyext.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** One HTTP answer as it came over the socket: status, headers by any case, raw body bytes. */
final class Reply {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  Reply(int status, Map<String, List<String>> headers, byte[] body) {
    this.status = status;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    this.headers = copy;
    this.body = body.clone();
  }

  int status() {
    return status;
  }

  @Nullable String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  Map<String, List<String>> headers() {
    return headers;
  }

  byte[] body() {
    return body.clone();
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body parsed as JSON; fails the test when it is not JSON. */
  JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("answer " + status + " is not JSON: " + text(), e);
    }
  }

  @Override
  public String toString() {
    return status + " " + header("Content-Type") + " " + text();
  }
}
