package dev.flyext;

/** Makes caller-sent text safe to quote in an error message: short, printable ASCII only. */
final class SafeText {
  private static final int MAX = 40;

  private SafeText() {}

  /** {@code text} cut to 40 characters, with anything but printable ASCII replaced by {@code ?}. */
  static String token(String text) {
    String cut = text.length() > MAX ? text.substring(0, MAX) + "..." : text;
    StringBuilder out = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
