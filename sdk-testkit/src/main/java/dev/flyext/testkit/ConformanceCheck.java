package dev.flyext.testkit;

import java.io.IOException;
import java.util.Objects;

/**
 * One conformance check: a name, what it expects of the provider, and a run that sends its own
 * requests (with its own fresh extension ids) and judges the answers. Checks do not depend on each
 * other, so any one of them can run alone, in any order, or as one JUnit test each.
 *
 * <p>Thread-safe: each {@link #run()} works on its own requests.
 */
public final class ConformanceCheck {
  /** What a check does, given a probe to send through. */
  @FunctionalInterface
  interface Body {
    void run(Probe probe) throws IOException;
  }

  private final String name;
  private final String description;
  private final Conformance.Settings settings;
  private final Body body;

  ConformanceCheck(String name, String description, Conformance.Settings settings, Body body) {
    this.name = Objects.requireNonNull(name);
    this.description = Objects.requireNonNull(description);
    this.settings = Objects.requireNonNull(settings);
    this.body = Objects.requireNonNull(body);
  }

  /** A stable name, such as {@code refuses-replayed-nonce}. */
  public String name() {
    return name;
  }

  /** One sentence: what the provider must do to pass. */
  public String description() {
    return description;
  }

  /**
   * Runs the check against the provider. Never throws for anything the provider answers (or fails
   * to answer): that is a failed result.
   */
  public CheckResult run() {
    Probe probe = new Probe(settings);
    CheckResult result;
    try {
      body.run(probe);
      result = CheckResult.passed(name);
    } catch (Probe.Skipped e) {
      result = CheckResult.skipped(name, e.getMessage());
    } catch (Probe.Failed e) {
      result = CheckResult.failed(name, e.getMessage(), e.sent(), e.got());
    } catch (IOException e) {
      result =
          CheckResult.failed(
              name, "no answer: " + describe(e), probe.lastSent(), "no answer within the timeout");
    } catch (RuntimeException e) {
      result =
          CheckResult.failed(
              name,
              "the answer could not be judged: " + describe(e),
              probe.lastSent(),
              probe.lastGot());
    }
    return hideSecret(result);
  }

  @Override
  public String toString() {
    return name + ": " + description;
  }

  private CheckResult hideSecret(CheckResult result) {
    String secret = settings.fly().secret();
    return new CheckResult(
        result.name(),
        result.outcome(),
        Redaction.hide(result.reason(), secret),
        result.sent() == null ? null : Redaction.hide(result.sent(), secret),
        result.got() == null ? null : Redaction.hide(result.got(), secret));
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + " " + message;
  }
}
