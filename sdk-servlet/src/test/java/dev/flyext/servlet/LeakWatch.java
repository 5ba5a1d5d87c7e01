package dev.flyext.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Remembers the secrets and signatures a test used and every answer it got, and says which answers
 * gave any of them away, or carry anything shaped like an HMAC-SHA256 (64 hex digits, or 32 bytes
 * in base64): a signature the server computed would be a signing oracle. Thread-safe.
 */
final class LeakWatch {
  private static final Pattern HMAC_SHAPED =
      Pattern.compile("(?<![0-9A-Za-z])([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=)(?![0-9A-Za-z])");

  private final List<String> secrets = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final List<Reply> replies = new CopyOnWriteArrayList<>();

  void secret(String secret) {
    secrets.add(secret);
  }

  void signatureSent(String signature) {
    if (signature.length() >= 16) {
      signatures.add(signature.toLowerCase(Locale.ROOT));
    }
  }

  void replied(Reply reply) {
    replies.add(reply);
  }

  int replies() {
    return replies.size();
  }

  /** One line per answer that carries a secret or a signature, in its body or its headers. */
  List<String> leaks() {
    List<String> leaks = new ArrayList<>();
    for (Reply reply : replies) {
      String text = everything(reply);
      for (String secret : secrets) {
        if (text.contains(secret)) {
          leaks.add("a secret in the answer " + reply.status() + " " + reply.text());
        }
      }
      if (HMAC_SHAPED.matcher(text).find()) {
        leaks.add("an HMAC-shaped value in the answer " + reply.status() + " " + reply.text());
      }
      String lower = text.toLowerCase(Locale.ROOT);
      for (String signature : signatures) {
        if (lower.contains(signature)) {
          leaks.add("a signature in the answer " + reply.status() + " " + reply.text());
        }
      }
    }
    return leaks;
  }

  void forgetReplies() {
    replies.clear();
  }

  private static String everything(Reply reply) {
    StringBuilder text = new StringBuilder(reply.text());
    for (Map.Entry<String, List<String>> header : reply.headers().entrySet()) {
      text.append('\n').append(header.getKey()).append(": ").append(header.getValue());
    }
    return text.toString();
  }
}
