package dev.flyext;

/** Makes caller-sent text safe to quote in an error message or a log line. */
final class SafeText {
  private SafeText() {}

  /** For messages: cut to 40 characters, anything but printable ASCII written as {@code ?}. */
  static String token(String text) {
    return clean(text, 40, false);
  }

  /**
   * For log lines: cut to 200 characters, anything but printable ASCII written as {@code ?}, and a
   * space as {@code %20}, so that a caller cannot forge a field or a line.
   */
  static String logToken(String text) {
    return clean(text, 200, true);
  }

  private static String clean(String text, int max, boolean escapeSpace) {
    String cut = text.length() > max ? text.substring(0, max) + "..." : text;
    StringBuilder out = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      if (c == ' ' && escapeSpace) {
        out.append("%20");
      } else {
        out.append(c >= 0x20 && c < 0x7f ? c : '?');
      }
    }
    return out.toString();
  }
}
