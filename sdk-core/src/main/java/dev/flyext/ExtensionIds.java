package dev.flyext;

import org.jspecify.annotations.Nullable;

/**
 * What an extension id may be: something {@code /extensions/{id}} can address in any container. At
 * most 256 characters; not blank, {@code .}, {@code ..} or {@code events}; no slash, backslash,
 * percent sign, space, control, formatting character or unpaired surrogate.
 */
final class ExtensionIds {
  static final int MAX_LENGTH = 256;

  private ExtensionIds() {}

  /** Why {@code id} cannot be an extension id, or null when it can. */
  static @Nullable String problem(String id) {
    if (id.isBlank()) {
      return "is empty or blank";
    }
    if (id.length() > MAX_LENGTH) {
      return "is longer than " + MAX_LENGTH + " characters";
    }
    if (id.equals(".") || id.equals("..")) {
      return "is a dot segment";
    }
    if (id.equals("events")) {
      return "is \"events\", which names the machine events route";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '\\' || c == '%') {
        return "contains a slash, backslash or percent sign";
      }
      if (Character.isISOControl(c) || Character.isWhitespace(c)) {
        return "contains a control or space character";
      }
      int type = Character.getType(c);
      if (type == Character.FORMAT || type == Character.PRIVATE_USE) {
        return "contains an invisible formatting character";
      }
      if (Character.isHighSurrogate(c)
          && (i + 1 >= id.length() || !Character.isLowSurrogate(id.charAt(i + 1)))) {
        return "contains an unpaired surrogate";
      }
      if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(id.charAt(i - 1)))) {
        return "contains an unpaired surrogate";
      }
    }
    return null;
  }
}
