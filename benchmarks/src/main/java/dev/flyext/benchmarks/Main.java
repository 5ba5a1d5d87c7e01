package dev.flyext.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs every comparison side by side with its baseline and ends by printing one line per
 * comparison, {@code <name> <ratio>}. Writes the raw figures and a chart to the output folder.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [--quick] [--out DIR] [--chart FILE]
 *     [--only jmh,heap,webhook,load] [--profile]
 * </pre>
 */
public final class Main {
  private static final Set<String> PHASES = Set.of("jmh", "heap", "webhook", "load");

  private Main() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.FULL;
    Path out = Path.of("benchmarks", "target", "performance");
    Path chart = null;
    boolean profile = false;
    Set<String> phases = new LinkedHashSet<>(List.of("jmh", "heap", "webhook", "load"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> settings = Settings.QUICK;
        case "--profile" -> profile = true;
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--chart" -> chart = Path.of(value(args, ++i, "--chart"));
        case "--only" -> {
          phases = new LinkedHashSet<>(List.of(value(args, ++i, "--only").split(",")));
          if (!PHASES.containsAll(phases)) {
            throw new IllegalArgumentException(
                "--only takes some of " + PHASES + ", got " + phases);
          }
        }
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; use --quick, --out DIR, --chart FILE, --only LIST, --profile");
      }
    }
    System.exit(
        run(
            settings,
            out,
            chart == null ? out.resolve("performance.png") : chart,
            phases,
            profile));
  }

  private static int run(
      Settings settings, Path out, Path chart, Set<String> phases, boolean profile)
      throws IOException {
    Files.createDirectories(out);

    Instant started = Instant.now();
    List<String> header = machine(settings);
    header.forEach(line -> System.out.println("# " + line));
    Report report = new Report();
    List<String> failures = new ArrayList<>();

    if (phases.contains("jmh")) {
      phase("jmh: verification and parsing", failures, () -> JmhPhase.run(settings, out, report));
    }
    if (phases.contains("heap")) {
      phase(
          "heap: nonce store and requests",
          failures,
          () ->
              Forks.run(
                  HeapCensus.class,
                  List.of("-Xms3g", "-Xmx3g", "-XX:+UseSerialGC"),
                  List.of(Integer.toString(settings.heapRequests())),
                  Duration.ofMinutes(3),
                  report));
    }
    if (phases.contains("webhook")) {
      phase(
          "webhook: client against raw OkHttp",
          failures,
          () ->
              Forks.run(
                  WebhookPhase.class,
                  List.of("-Xms1g", "-Xmx1g"),
                  List.of(
                      Integer.toString(settings.webhookRounds()),
                      Integer.toString(settings.webhooks()),
                      Integer.toString(settings.webhookWarmups())),
                  Duration.ofMinutes(3),
                  report));
    }
    if (phases.contains("load")) {
      phase(
          "load: servlet against bare servlet, wrk",
          failures,
          () -> LoadPhase.run(settings, out, report, profile));
    }

    Duration took = Duration.between(started, Instant.now());
    header.add("measured in " + took.toSeconds() + " s");
    for (String failure : failures) {
      report.note("phase failed: " + failure);
    }
    Path raw = out.resolve("raw-" + settings.name() + ".tsv");
    report.write(raw, header);
    Charts.write(
        report,
        settings,
        "flyext SDK / baseline, " + settings.name() + " run, " + header.get(0),
        chart);

    System.out.println("# raw figures: " + raw);
    System.out.println("# chart: " + chart);
    System.out.println("# measured in " + took.toSeconds() + " s");
    for (String failure : failures) {
      System.out.println("# FAILED: " + failure);
    }
    report.ratioLines().forEach(System.out::println);
    return failures.isEmpty() ? 0 : 1;
  }

  /** A phase that may throw; its failure is recorded and the run goes on. */
  @FunctionalInterface
  private interface Phase {
    void run() throws Exception;
  }

  private static void phase(String name, List<String> failures, Phase phase) {
    long start = System.nanoTime();
    System.out.println("## " + name);
    try {
      phase.run();
    } catch (Exception e) {
      failures.add(name + ": " + e);
      e.printStackTrace();
    }
    System.out.printf(
        Locale.ROOT,
        "## %s: %d s%n",
        name,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** The machine and JVM the figures came from. */
  private static List<String> machine(Settings settings) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(
        Runtime.getRuntime().availableProcessors()
            + " cores, "
            + firstValue(Path.of("/proc/cpuinfo"), "model name")
            + ", "
            + firstValue(Path.of("/proc/meminfo"), "MemTotal"));
    lines.add(
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    lines.add(command("wrk", "-v"));
    lines.add("settings: " + settings);
    return lines;
  }

  private static String firstValue(Path file, String key) throws IOException {
    if (!Files.isReadable(file)) {
      return "unknown " + key;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith(key)) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown " + key;
  }

  private static String command(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output;
      try (InputStream in = process.getInputStream()) {
        output = in.readAllBytes();
      }
      process.waitFor(10, TimeUnit.SECONDS);
      String text = new String(output, StandardCharsets.UTF_8).strip();
      int newline = text.indexOf('\n');
      return newline < 0 ? text : text.substring(0, newline);
    } catch (IOException e) {
      return command[0] + " not found";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return command[0] + " not asked";
    }
  }
}
