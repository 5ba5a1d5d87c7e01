package dev.flyext.testkit;

import dev.flyext.RequestSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The conformance checks for a provider written in any language, run over HTTP through a {@link
 * FlySimulator}: the lifecycle works, every {@code config} value is a string, a repeated provision
 * gives the same answer, deletes are idempotent, every kind of bad signature is refused, and error
 * answers are JSON. Checks that need something optional (machine events, billing, asynchronous
 * provisioning, dashboard sign-in) are skipped, with the reason, when the provider does not offer
 * it.
 *
 * <pre>{@code
 * FlySimulator fly = FlySimulator.builder().baseUrl(url).secret(secret).build();
 * Conformance.of(fly).run().assertAllPassed();
 * }</pre>
 *
 * <p>Each check provisions its own extensions with fresh ids ({@code ext_conf...}) and leaves them
 * there; point it at a test instance of the provider. Thread-safe; checks run one after another.
 */
public final class Conformance {
  /** How long the asynchronous provisioning check waits for {@code ready}, by default. */
  public static final Duration DEFAULT_ASYNC_TIMEOUT = Duration.ofSeconds(15);

  /**
   * How far from now the stale and the far-future timestamps are: twice Fly's default freshness
   * window of 300 s, and ten times its 60 s allowance for clock skew.
   */
  public static final Duration TIMESTAMP_OFFSET = Duration.ofMinutes(10);

  /** What every check is given. */
  record Settings(FlySimulator fly, Duration asyncTimeout, String wrongSecret) {}

  private final List<ConformanceCheck> checks;

  private Conformance(Builder builder) {
    Settings settings =
        new Settings(
            builder.fly, builder.asyncTimeout, "wrong-" + RequestSigner.randomNonce() + "-secret");
    this.checks = List.copyOf(Checks.all(settings));
  }

  /** Every check, with the default settings, against the provider {@code fly} talks to. */
  public static Conformance of(FlySimulator fly) {
    return builder(fly).build();
  }

  public static Builder builder(FlySimulator fly) {
    return new Builder(fly);
  }

  /** Every check, in the order {@link #run()} runs them. */
  public List<ConformanceCheck> checks() {
    return checks;
  }

  /**
   * The check named {@code name}.
   *
   * @throws IllegalArgumentException naming the checks there are
   */
  public ConformanceCheck check(String name) {
    Objects.requireNonNull(name, "name == null");
    for (ConformanceCheck check : checks) {
      if (check.name().equals(name)) {
        return check;
      }
    }
    throw new IllegalArgumentException(
        "no conformance check named \"" + name + "\"; the checks are " + names());
  }

  /** The names of every check, in order. */
  public List<String> names() {
    return checks.stream().map(ConformanceCheck::name).toList();
  }

  /** Runs every check, one after another. */
  public ConformanceReport run() {
    return runAll(checks, result -> {});
  }

  /** Runs every check, handing each result to {@code onResult} as soon as it is known. */
  public ConformanceReport run(Consumer<CheckResult> onResult) {
    return runAll(checks, onResult);
  }

  /**
   * Runs the checks named, in the order given.
   *
   * @throws IllegalArgumentException if a name is not a check's
   */
  public ConformanceReport run(List<String> names, Consumer<CheckResult> onResult) {
    List<ConformanceCheck> chosen = new ArrayList<>();
    for (String name : names) {
      chosen.add(check(name));
    }
    return runAll(chosen, onResult);
  }

  private static ConformanceReport runAll(
      List<ConformanceCheck> checks, Consumer<CheckResult> onResult) {
    Objects.requireNonNull(onResult, "onResult == null");
    List<CheckResult> results = new ArrayList<>(checks.size());
    for (ConformanceCheck check : checks) {
      CheckResult result = check.run();
      results.add(result);
      onResult.accept(result);
    }
    return new ConformanceReport(results);
  }

  /** Collects a {@link Conformance}; not thread-safe. */
  public static final class Builder {
    private final FlySimulator fly;
    private Duration asyncTimeout = DEFAULT_ASYNC_TIMEOUT;

    private Builder(FlySimulator fly) {
      this.fly = Objects.requireNonNull(fly, "fly == null");
    }

    /**
     * How long the asynchronous provisioning check polls a {@code pending} resource for {@code
     * ready}; {@link #DEFAULT_ASYNC_TIMEOUT} by default. Fly itself polls for about four minutes.
     */
    public Builder asyncTimeout(Duration asyncTimeout) {
      Objects.requireNonNull(asyncTimeout, "asyncTimeout == null");
      if (asyncTimeout.isNegative() || asyncTimeout.isZero()) {
        throw new IllegalArgumentException("asyncTimeout must be positive, was " + asyncTimeout);
      }
      this.asyncTimeout = asyncTimeout;
      return this;
    }

    public Conformance build() {
      return new Conformance(this);
    }
  }
}
