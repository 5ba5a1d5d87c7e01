package dev.flyext.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What reports may show of a request or an answer: signatures cut to their first eight hex digits,
 * string values inside {@code config} masked, long bodies cut. The secret itself never reaches a
 * report: nothing sent carries it, and {@link #hide} removes it from anything a provider echoed.
 */
final class Redaction {
  /** How much of a body a report shows. */
  static final int BODY_CHARS = 300;

  static final String MASK = "(masked)";

  private static final Pattern LONG_HEX = Pattern.compile("\\b([0-9a-fA-F]{8})[0-9a-fA-F]{56}\\b");

  private Redaction() {}

  /** A signature as reports show it: its first eight characters, then {@code ...}. */
  static String signature(String signature) {
    return signature.length() <= 12 ? signature : signature.substring(0, 8) + "...";
  }

  /** Cuts every 64-hex-digit run (a signature or a hex key) to eight digits, then cuts length. */
  static String shorten(String text) {
    return truncate(LONG_HEX.matcher(text).replaceAll("$1..."), BODY_CHARS);
  }

  static String truncate(String text, int max) {
    String oneLine = text.replace('\r', ' ').replace('\n', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
  }

  /**
   * Compact JSON with each string value of a top-level {@code config} object masked; other types
   * stay visible, since a number there is the mistake being reported.
   */
  static String maskConfig(JsonNode json) {
    if (!(json instanceof ObjectNode) || !(json.get("config") instanceof ObjectNode)) {
      return json.toString();
    }
    ObjectNode copy = (ObjectNode) json.deepCopy();
    ObjectNode config = (ObjectNode) copy.get("config");
    List<String> masked = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : config.properties()) {
      if (field.getValue().isTextual()) {
        masked.add(field.getKey());
      }
    }
    masked.forEach(name -> config.put(name, MASK));
    return copy.toString();
  }

  /** {@code text} with every occurrence of {@code secret} replaced. */
  static String hide(String text, String secret) {
    return secret.isEmpty() ? text : text.replace(secret, "(secret)");
  }
}
