package dev.flyext.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.PatchValue;
import dev.flyext.ProtocolException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads from one JSON object, with errors that name the field and the expected type and never
 * quote the value.
 */
public final class JsonFields {
  /** Largest UNIX timestamp in seconds we read as seconds: the year 5138. */
  private static final long MAX_SECONDS = 99_999_999_999L;

  private final ObjectNode node;
  private final String what;

  private JsonFields(ObjectNode node, String what) {
    this.node = node;
    this.what = what;
  }

  public static JsonFields of(ObjectNode node, String what) {
    return new JsonFields(node, what);
  }

  /** Parses bytes that must hold one JSON object; {@code what} names the message in errors. */
  public static ObjectNode parseObject(byte[] json, String what) {
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(json);
    } catch (StreamConstraintsException e) {
      throw new ProtocolException(
          what
              + " exceeds a JSON limit: at most "
              + Json.MAX_NESTING_DEPTH
              + " levels of nesting, strings of "
              + Json.MAX_STRING_LENGTH
              + " characters and numbers of "
              + Json.MAX_NUMBER_LENGTH
              + " digits",
          null,
          e);
    } catch (JsonProcessingException e) {
      throw new ProtocolException(
          what + " is not valid JSON" + duplicateHint(e) + " at " + location(e), null, e);
    } catch (IOException e) {
      throw new ProtocolException(what + " could not be read as JSON", null, e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new ProtocolException(what + " is empty; a JSON object was expected");
    }
    if (!tree.isObject()) {
      throw new ProtocolException(
          what + " must be a JSON object, got " + typeName(tree) + " at the top level");
    }
    return (ObjectNode) tree;
  }

  public ObjectNode node() {
    return node;
  }

  public boolean has(String field) {
    return node.has(field);
  }

  public String requiredString(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw missing(field);
    }
    return string(field, value);
  }

  public String requiredNonEmptyString(String field) {
    String value = requiredString(field);
    if (value.isEmpty()) {
      throw new ProtocolException(what + " field `" + field + "` must not be empty", field, null);
    }
    return value;
  }

  public @Nullable String optionalString(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    return string(field, value);
  }

  public List<String> stringList(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    return stringList(field, value);
  }

  public @Nullable Long optionalLong(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    // At most 18 digits, so that parseLong cannot overflow.
    if (value.isTextual() && isDigits(value.textValue()) && value.textValue().length() < 19) {
      return Long.parseLong(value.textValue());
    }
    throw wrongType(field, "an integer", value);
  }

  /** A UNIX time in seconds written as a number or as a string of digits. */
  public Instant requiredTimestamp(String field) {
    Instant value = optionalTimestamp(field);
    if (value == null) {
      throw missing(field);
    }
    return value;
  }

  public @Nullable Instant optionalTimestamp(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    return timestamp(field, value);
  }

  public @Nullable JsonNode raw(String field) {
    JsonNode value = node.get(field);
    return value == null ? null : value.deepCopy();
  }

  public @Nullable ObjectNode optionalObject(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw wrongType(field, "an object", value);
    }
    return (ObjectNode) value;
  }

  /** A JSON object whose values must all be strings, as {@code config} is. */
  public Map<String, String> stringMap(String field) {
    ObjectNode object = optionalObject(field);
    if (object == null) {
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      JsonNode value = entry.getValue();
      if (!value.isTextual()) {
        throw new ProtocolException(
            what
                + " field `"
                + field
                + "."
                + entry.getKey()
                + "` must be a string, got "
                + typeName(value),
            field,
            null);
      }
      map.put(entry.getKey(), value.textValue());
    }
    return Collections.unmodifiableMap(map);
  }

  public PatchValue<String> patchString(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return PatchValue.absent();
    }
    if (value.isNull()) {
      return PatchValue.ofNull();
    }
    return PatchValue.of(string(field, value));
  }

  public PatchValue<List<String>> patchStringList(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return PatchValue.absent();
    }
    if (value.isNull()) {
      return PatchValue.ofNull();
    }
    return PatchValue.of(stringList(field, value));
  }

  public PatchValue<JsonNode> patchRaw(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return PatchValue.absent();
    }
    if (value.isNull()) {
      return PatchValue.ofNull();
    }
    return PatchValue.of(value.deepCopy());
  }

  /** Every field not in {@code known}, as deep copies, in the order received. */
  public Map<String, JsonNode> extras(Set<String> known) {
    Map<String, JsonNode> extras = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!known.contains(entry.getKey())) {
        extras.put(entry.getKey(), entry.getValue().deepCopy());
      }
    }
    return extras.isEmpty() ? Map.of() : Collections.unmodifiableMap(extras);
  }

  private String string(String field, JsonNode value) {
    if (!value.isTextual()) {
      throw wrongType(field, "a string", value);
    }
    return value.textValue();
  }

  private List<String> stringList(String field, JsonNode value) {
    if (!value.isArray()) {
      throw wrongType(field, "an array of strings", value);
    }
    List<String> list = new ArrayList<>(value.size());
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw new ProtocolException(
            what
                + " field `"
                + field
                + "` must be an array of strings, got an element that is "
                + typeName(element),
            field,
            null);
      }
      list.add(element.textValue());
    }
    return List.copyOf(list);
  }

  private Instant timestamp(String field, JsonNode value) {
    long seconds;
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      seconds = value.longValue();
    } else if (value.isTextual()
        && isDigits(value.textValue())
        && value.textValue().length() < 19) {
      seconds = Long.parseLong(value.textValue());
    } else {
      throw wrongType(field, "UNIX seconds as an integer or a string of digits", value);
    }
    if (seconds < 0) {
      throw new ProtocolException(
          what + " field `" + field + "` must not be negative", field, null);
    }
    if (seconds > MAX_SECONDS) {
      throw new ProtocolException(
          what
              + " field `"
              + field
              + "` is too large for UNIX seconds; it looks like milliseconds, send seconds",
          field,
          null);
    }
    return Instant.ofEpochSecond(seconds);
  }

  private ProtocolException missing(String field) {
    return new ProtocolException(what + " field `" + field + "` is required", field, null);
  }

  private ProtocolException wrongType(String field, String expected, JsonNode value) {
    return new ProtocolException(
        what + " field `" + field + "` must be " + expected + ", got " + typeName(value),
        field,
        null);
  }

  static boolean isDigits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  public static String typeName(JsonNode value) {
    switch (value.getNodeType()) {
      case ARRAY:
        return "an array";
      case BOOLEAN:
        return "a boolean";
      case NUMBER:
        return "a number";
      case OBJECT:
        return "an object";
      case STRING:
        return "a string";
      case NULL:
        return "null";
      default:
        return "an unsupported value";
    }
  }

  /** Jackson's messages quote input and name its own classes; only the kind is kept. */
  private static String duplicateHint(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    return message != null && message.startsWith("Duplicate field") ? " (a duplicate key)" : "";
  }

  private static String location(JsonProcessingException e) {
    if (e.getLocation() == null) {
      return "line 1";
    }
    return "line "
        + Math.max(1, e.getLocation().getLineNr())
        + ", column "
        + Math.max(1, e.getLocation().getColumnNr());
  }
}
