package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs around every test class of this module (registered through the service loader): captures
 * every log record the SDK writes, through {@code System.Logger} to java.util.logging, and fails
 * the class if one holds a secret the tests use, a signature or a token.
 */
public final class LogLeakCheck implements BeforeAllCallback, AfterAllCallback {
  /** Every secret and token the tests hand the SDK. */
  static final List<String> SECRETS =
      List.of(
          "prov-secret-1",
          "prov-secret-2",
          "prov-secret-3",
          "hook-secret-1",
          "other-secret",
          "provider-secret",
          "oauth-client-secret-xyz",
          "super-secret-token",
          "at-1",
          "rt-1");

  /** An HMAC-SHA256 in hex, as signatures are written. */
  private static final Pattern HEX_MAC = Pattern.compile("\\b[0-9a-fA-F]{64}\\b");

  private static final Capture CAPTURE = new Capture();

  static {
    Logger root = Logger.getLogger("");
    root.addHandler(CAPTURE);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    CAPTURE.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (String line : CAPTURE.lines()) {
      for (String secret : SECRETS) {
        assertThat(line).as("a log line of " + context.getDisplayName()).doesNotContain(secret);
      }
      assertThat(HEX_MAC.matcher(line).find())
          .as("a log line of " + context.getDisplayName() + " holds a signature: " + line)
          .isFalse();
    }
  }

  /** How many log lines the current class wrote so far; lets a test prove the capture works. */
  static int captured() {
    return CAPTURE.lines().size();
  }

  private static final class Capture extends Handler {
    private final List<String> lines = new ArrayList<>();

    Capture() {
      setLevel(Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
      if (record.getParameters() != null) {
        for (Object parameter : record.getParameters()) {
          line.append(' ').append(parameter);
        }
      }
      for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
        line.append(' ').append(t);
      }
      lines.add(line.toString());
    }

    synchronized void clear() {
      lines.clear();
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
