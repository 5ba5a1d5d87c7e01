package dev.flyext.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Form-style query strings, encoded the way Go's {@code url.QueryEscape} does. */
public final class QueryStrings {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private QueryStrings() {}

  /** Encodes one name or value: unreserved characters stay, space becomes {@code +}. */
  public static String encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** Joins parameters in the given order into a raw query string. */
  public static String join(Map<String, String> parameters) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> entry : parameters.entrySet()) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(encode(entry.getKey())).append('=').append(encode(entry.getValue()));
    }
    return out.toString();
  }

  /**
   * Decodes a raw query string into its parameters in order.
   *
   * @throws IllegalArgumentException naming the parameter that is repeated or badly encoded
   */
  public static Map<String, String> parse(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals), "a parameter name");
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1), "parameter " + name);
      if (parameters.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException("query parameter " + name + " is repeated");
      }
    }
    return Collections.unmodifiableMap(parameters);
  }

  /** Percent-decodes a query component, with {@code +} as space; the result must be UTF-8. */
  public static String decode(String encoded, String what) {
    return decode(encoded, what, true);
  }

  /** Percent-decodes one path segment, where {@code +} is itself; the result must be UTF-8. */
  public static String decodePathSegment(String encoded, String what) {
    return decode(encoded, what, false);
  }

  private static String decode(String encoded, String what, boolean plusIsSpace) {
    if (encoded.indexOf('%') < 0 && (!plusIsSpace || encoded.indexOf('+') < 0)) {
      return encoded;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else if (c == '%') {
        int high = i + 2 < encoded.length() ? hexValue(encoded.charAt(i + 1)) : -1;
        int low = i + 2 < encoded.length() ? hexValue(encoded.charAt(i + 2)) : -1;
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException(what + " has a broken percent-encoding");
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        int codePoint = encoded.codePointAt(i);
        byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not UTF-8 once decoded", e);
    }
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
