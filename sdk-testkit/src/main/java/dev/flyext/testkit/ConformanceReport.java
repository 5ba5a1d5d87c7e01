package dev.flyext.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The results of a {@link Conformance} run, in the order the checks ran. Immutable.
 *
 * <pre>{@code
 * ConformanceReport report = Conformance.of(fly).run();
 * report.assertAllPassed();
 * }</pre>
 */
public final class ConformanceReport {
  private final List<CheckResult> results;

  ConformanceReport(List<CheckResult> results) {
    this.results = List.copyOf(Objects.requireNonNull(results, "results == null"));
  }

  public List<CheckResult> results() {
    return results;
  }

  /** The result of check {@code name}, which must have run. */
  public CheckResult result(String name) {
    return results.stream()
        .filter(result -> result.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("check " + name + " was not part of this run"));
  }

  public long passed() {
    return results.stream().filter(CheckResult::passed).count();
  }

  public long failed() {
    return results.stream().filter(CheckResult::failed).count();
  }

  public long skipped() {
    return results.stream().filter(CheckResult::skipped).count();
  }

  /** The names of the checks that failed, in order. */
  public List<String> failedNames() {
    return results.stream().filter(CheckResult::failed).map(CheckResult::name).toList();
  }

  /** The names of the checks that were skipped, in order. */
  public List<String> skippedNames() {
    return results.stream().filter(CheckResult::skipped).map(CheckResult::name).toList();
  }

  /** True when no check failed; skipped checks do not count against it. */
  public boolean allPassed() {
    return failed() == 0;
  }

  /** The summary line: {@code N passed, N failed, N skipped}. */
  public String summary() {
    return passed() + " passed, " + failed() + " failed, " + skipped() + " skipped";
  }

  /** One line per check, then the summary line. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>(results.size() + 1);
    results.forEach(result -> lines.add(result.line()));
    lines.add(summary());
    return List.copyOf(lines);
  }

  /**
   * Does nothing when no check failed.
   *
   * @throws AssertionError listing every line of the report, when a check failed
   */
  public void assertAllPassed() {
    if (!allPassed()) {
      throw new AssertionError(
          "the provider failed "
              + failed()
              + " conformance check(s):"
              + System.lineSeparator()
              + String.join(System.lineSeparator(), lines()));
    }
  }

  @Override
  public String toString() {
    return String.join(System.lineSeparator(), lines());
  }
}
