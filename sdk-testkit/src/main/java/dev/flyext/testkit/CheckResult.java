package dev.flyext.testkit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link ConformanceCheck}: passed, failed with what was sent and what came
 * back, or skipped with the reason. Reports never contain the provisioning secret; signatures are
 * shortened and string values in {@code config} masked.
 *
 * @param name the check's name, such as {@code refuses-stale-timestamp}
 * @param outcome passed, failed or skipped
 * @param reason why it failed or was skipped; empty when it passed
 * @param sent the request that showed the failure, or null
 * @param got the answer to it, {@code "no answer"} when none came, or null
 */
public record CheckResult(
    String name, Outcome outcome, String reason, @Nullable String sent, @Nullable String got) {

  /** How a check ended. */
  public enum Outcome {
    PASS,
    FAIL,
    SKIP
  }

  public CheckResult {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(outcome, "outcome == null");
    Objects.requireNonNull(reason, "reason == null");
  }

  static CheckResult passed(String name) {
    return new CheckResult(name, Outcome.PASS, "", null, null);
  }

  static CheckResult skipped(String name, String reason) {
    return new CheckResult(name, Outcome.SKIP, reason, null, null);
  }

  static CheckResult failed(
      String name, String reason, @Nullable String sent, @Nullable String got) {
    return new CheckResult(name, Outcome.FAIL, reason, sent, got);
  }

  public boolean passed() {
    return outcome == Outcome.PASS;
  }

  public boolean failed() {
    return outcome == Outcome.FAIL;
  }

  public boolean skipped() {
    return outcome == Outcome.SKIP;
  }

  /**
   * The report line: {@code PASS name}, {@code SKIP name: reason}, or {@code FAIL name: reason;
   * sent ...; got ...}.
   */
  public String line() {
    switch (outcome) {
      case PASS:
        return "PASS " + name;
      case SKIP:
        return "SKIP " + name + ": " + reason;
      case FAIL:
      default:
        StringBuilder line = new StringBuilder("FAIL ").append(name).append(": ").append(reason);
        if (sent != null) {
          line.append("; sent ").append(sent);
        }
        if (got != null) {
          line.append("; got ").append(got);
        }
        return line.toString();
    }
  }

  @Override
  public String toString() {
    return line();
  }
}
