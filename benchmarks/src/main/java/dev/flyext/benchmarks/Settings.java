package dev.flyext.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How long and how often each phase measures. The full run aims at under ten minutes including the
 * build, the quick one at under three; both measure every comparison, the quick one with wider
 * error bars.
 */
record Settings(
    String name,
    int jmhRounds,
    int jmhWarmups,
    Duration jmhWarmupTime,
    int jmhIterations,
    Duration jmhIterationTime,
    List<Integer> concurrencies,
    Duration calibration,
    Duration loadWarmup,
    Duration loadDuration,
    int loadRepeats,
    int webhookWarmups,
    int webhookRounds,
    int webhooks,
    int heapRequests) {

  static final Settings FULL =
      new Settings(
          "full",
          2,
          3,
          Duration.ofSeconds(1),
          3,
          Duration.ofSeconds(1),
          List.of(4, 16, 64),
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          4,
          4,
          5,
          10_000,
          100_000);

  static final Settings QUICK =
      new Settings(
          "quick",
          1,
          3,
          Duration.ofMillis(500),
          3,
          Duration.ofMillis(500),
          List.of(8, 64),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          2,
          2,
          3,
          10_000,
          100_000);
}
