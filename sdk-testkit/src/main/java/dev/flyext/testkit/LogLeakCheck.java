package dev.flyext.testkit;

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
 * A JUnit 5 extension that captures every log record written through {@code System.Logger} or
 * java.util.logging while a test class runs, and fails the class if one holds a given secret or
 * anything shaped like a signature (64 hex digits). Register it for a whole suite through the
 * service loader and {@code junit.jupiter.extensions.autodetection.enabled=true}, or per class with
 * {@code @ExtendWith}; subclass it to name the secrets your tests use.
 *
 * <pre>{@code
 * public final class NoSecretsInLogs extends LogLeakCheck {
 *   public NoSecretsInLogs() {
 *     super(List.of("test-provisioning-secret", "test-webhook-secret"));
 *   }
 * }
 * }</pre>
 *
 * <p>Needs {@code junit-jupiter-api} on the test class path, which this module does not bring.
 */
public class LogLeakCheck implements BeforeAllCallback, AfterAllCallback {
  private final List<String> secrets;

  /** Fails on any of {@code secrets} and on signatures. */
  protected LogLeakCheck(List<String> secrets) {
    this.secrets = List.copyOf(secrets);
  }

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
      for (String secret : secrets) {
        if (line.contains(secret)) {
          throw new AssertionError(
              "a log line of " + context.getDisplayName() + " holds a secret the tests use");
        }
      }
      if (HEX_MAC.matcher(line).find()) {
        throw new AssertionError(
            "a log line of " + context.getDisplayName() + " holds a signature: " + line);
      }
    }
  }

  /** How many log lines the current class wrote so far; lets a test prove the capture works. */
  public static int captured() {
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
