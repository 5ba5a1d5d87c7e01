package dev.flyext.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Comparisons 2 and 3: verification and parsing, in JMH forks of their own. */
final class JmhPhase {
  private JmhPhase() {}

  static void run(Settings settings, Path out, Report report) throws RunnerException {
    List<Map<String, Result<?>>> rounds = new ArrayList<>();
    Map<String, Double> allocations = new HashMap<>();
    for (int round = 0; round < settings.jmhRounds(); round++) {
      rounds.add(round(settings, out.resolve("jmh-" + (round + 1) + ".log"), allocations));
    }

    Map<String, Result<?>> last = rounds.get(rounds.size() - 1);
    for (Map.Entry<String, Result<?>> entry : new TreeMap<>(last).entrySet()) {
      String key = entry.getKey();
      double[] scores = rounds.stream().mapToDouble(r -> score(r.get(key))).toArray();
      double mean = Arrays.stream(scores).average().orElse(Double.NaN);
      report.figure("jmh-" + key, mean, spread(rounds, key), entry.getValue().getScoreUnit());
    }
    for (Map.Entry<String, Double> entry : new TreeMap<>(allocations).entrySet()) {
      report.figure("jmh-" + entry.getKey() + "-allocated", entry.getValue(), 0, "B/op");
    }

    for (String size : new String[] {"1k", "16k"}) {
      compare(
          report,
          rounds,
          "verify-" + size + "-vs-mac",
          "sdkSignature-" + size,
          "rawMac-" + size,
          ">=0.90");
      compare(
          report,
          rounds,
          "verify-" + size + "-vs-stripe",
          "sdkSignature-" + size,
          "stripe-" + size,
          ">=1.00");
      compare(
          report,
          rounds,
          "verify-" + size + "-vs-standardwebhooks",
          "sdkSignature-" + size,
          "standardWebhooks-" + size,
          ">=1.00");
      compare(
          report,
          rounds,
          "verify-body-" + size + "-vs-mac",
          "sdkWholeBody-" + size,
          "rawMac-" + size,
          null);
    }
    compare(report, rounds, "parse-vs-jackson-binding", "sdkParse", "jacksonBinding", ">=0.80");
  }

  /**
   * One pass over every benchmark, each in a fork of its own; results by short name. Bytes
   * allocated per call go to {@code allocations}.
   */
  private static Map<String, Result<?>> round(
      Settings settings, Path log, Map<String, Double> allocations) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(VerifyBenchmark.class.getName())
            .include(ParseBenchmark.class.getName())
            .forks(1)
            .threads(1)
            .warmupIterations(settings.jmhWarmups())
            .warmupTime(TimeValue.milliseconds(settings.jmhWarmupTime().toMillis()))
            .measurementIterations(settings.jmhIterations())
            .measurementTime(TimeValue.milliseconds(settings.jmhIterationTime().toMillis()))
            .jvmArgs("-Xms1g", "-Xmx1g")
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true)
            .verbosity(VerboseMode.NORMAL)
            .output(log.toString())
            .build();
    Collection<RunResult> results = new Runner(options).run();

    Map<String, Result<?>> scores = new HashMap<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      String size = result.getParams().getParam("size");
      String key = size == null ? method : method + "-" + kib(size);
      scores.put(key, result.getPrimaryResult());
      // Allocation per call does not move with the machine's load, unlike time.
      Result<?> allocated = result.getSecondaryResults().get("gc.alloc.rate.norm");
      if (allocated != null) {
        allocations.put(key, allocated.getScore());
      }
    }
    return scores;
  }

  /**
   * The mean over rounds of the SDK's score over its baseline's. The error is the larger of JMH's
   * error in the last round and half the spread between rounds.
   */
  private static void compare(
      Report report,
      List<Map<String, Result<?>>> rounds,
      String name,
      String sdk,
      String baseline,
      @Nullable String target) {
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    double error = 0;
    for (Map<String, Result<?>> round : rounds) {
      Result<?> a = round.get(sdk);
      Result<?> b = round.get(baseline);
      if (a == null || b == null) {
        report.note(name + ": not measured");
        return;
      }
      double ratio = score(a) / score(b);
      sum += ratio;
      min = Math.min(min, ratio);
      max = Math.max(max, ratio);
      error = ratio * relativeError(a, b);
    }
    double mean = sum / rounds.size();
    report.ratio(name, mean, Math.max(error, (max - min) / 2), target);
  }

  private static double spread(List<Map<String, Result<?>>> rounds, String key) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Map<String, Result<?>> round : rounds) {
      min = Math.min(min, score(round.get(key)));
      max = Math.max(max, score(round.get(key)));
    }
    Result<?> last = rounds.get(rounds.size() - 1).get(key);
    return Math.max(finite(last.getScoreError()), (max - min) / 2);
  }

  /**
   * The median of a benchmark's measurement iterations: on a machine shared with other work, one
   * disturbed iteration moves the mean far more than the median.
   */
  private static double score(Result<?> result) {
    return result.getStatistics().getPercentile(50);
  }

  private static double relativeError(Result<?> a, Result<?> b) {
    double ea = finite(a.getScoreError()) / score(a);
    double eb = finite(b.getScoreError()) / score(b);
    return Math.sqrt(ea * ea + eb * eb);
  }

  private static double finite(double value) {
    return Double.isFinite(value) ? value : 0;
  }

  private static String kib(String bytes) {
    return (Integer.parseInt(bytes) / 1024) + "k";
  }
}
