package dev.flyext.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A provider's answer to one {@link FlyCall}, as it came over the socket: the status, the headers
 * (looked up without case) and the raw body. Immutable.
 */
public final class FlyReply {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final @Nullable JsonNode json;

  FlyReply(int status, Map<String, List<String>> headers, byte[] body) {
    this.status = status;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body.clone();
    this.json = parse(this.body);
  }

  public int status() {
    return status;
  }

  /** True for a 2xx status. */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** Every header, by name without case, each with its values in order. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of header {@code name}, when there is one. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The body's bytes exactly as received (a copy). */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * True when the answer declares a JSON content type ({@code application/json} or {@code
   * application/*+json}) and its body parses as JSON.
   */
  public boolean isJson() {
    return hasJsonContentType() && json != null;
  }

  /** True when {@code Content-Type} is {@code application/json} or {@code application/*+json}. */
  public boolean hasJsonContentType() {
    String type = header("Content-Type").orElse("").split(";")[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }

  /**
   * The body parsed as JSON, whatever its content type.
   *
   * @throws IllegalStateException if the body is not JSON, quoting the start of it
   */
  public JsonNode json() {
    if (json == null) {
      throw new IllegalStateException(
          "the answer ("
              + status
              + ") is not JSON: "
              + Redaction.truncate(text().strip(), Redaction.BODY_CHARS));
    }
    return json.deepCopy();
  }

  /** The body parsed as JSON, or empty when it is not JSON. */
  public Optional<JsonNode> jsonIfAny() {
    return json == null ? Optional.empty() : Optional.of(json.deepCopy());
  }

  /**
   * A one-line account for reports: the status, the content type and the start of the body, with
   * signatures shortened and string values inside {@code config} masked, since they are usually
   * credentials.
   */
  public String describe() {
    String type = header("Content-Type").orElse("no Content-Type");
    String shown = json != null ? Redaction.maskConfig(json) : text().strip();
    return status
        + " "
        + type
        + (shown.isEmpty() ? " (empty body)" : " " + Redaction.shorten(shown));
  }

  @Override
  public String toString() {
    return "FlyReply{" + describe() + "}";
  }

  private static @Nullable JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }
}
