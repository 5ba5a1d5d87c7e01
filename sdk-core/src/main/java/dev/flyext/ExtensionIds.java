package dev.flyext;

import org.jspecify.annotations.Nullable;

/**
 * What an extension id may be: something {@code /extensions/{id}} can address. At most 256
 * characters, not {@code .} or {@code ..}, no slash, backslash or control character.
 */
final class ExtensionIds {
  static final int MAX_LENGTH = 256;

  private ExtensionIds() {}

  /** Why {@code id} cannot be an extension id, or null when it can. */
  static @Nullable String problem(String id) {
    if (id.isEmpty()) {
      return "is empty";
    }
    if (id.length() > MAX_LENGTH) {
      return "is longer than " + MAX_LENGTH + " characters";
    }
    if (id.equals(".") || id.equals("..")) {
      return "is a dot segment";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '\\') {
        return "contains a slash or backslash";
      }
      if (Character.isISOControl(c)) {
        return "contains a control character";
      }
    }
    return null;
  }
}
