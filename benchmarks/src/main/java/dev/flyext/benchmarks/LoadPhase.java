package dev.flyext.benchmarks;

import dev.flyext.RequestSigner;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Comparison 1: wrk on loopback against the SDK's servlet and the bare servlet on the same Jetty,
 * for signed {@code GET /extensions/{id}} and {@code POST /extensions} at several concurrency
 * levels. Every step signs its requests just before it runs, so timestamps are fresh and no nonce
 * repeats; Jetty restarts between steps so each starts with empty stores.
 */
final class LoadPhase {
  static final int WRK_THREADS = 1;

  /** Linux counts process CPU time in ticks of 1/100 s on every common architecture. */
  private static final int CLOCK_TICKS = 100;

  private static final Pattern RESULT =
      Pattern.compile(
          "wrk-result requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+)"
              + " non2xx=(\\d+) socket_errors=(\\d+) wrapped=(\\d+)");

  /** What one wrk run measured. */
  record Run(
      long requests,
      long durationMicros,
      long p50Micros,
      long p99Micros,
      long non2xx,
      long socketErrors,
      long wrapped) {
    double perSecond() {
      return requests * 1e6 / durationMicros;
    }

    boolean clean() {
      return non2xx == 0 && socketErrors == 0 && wrapped == 0;
    }

    static Run parse(String output) {
      Matcher m = RESULT.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException("wrk printed no result: " + output);
      }
      long[] v = new long[7];
      for (int i = 0; i < 7; i++) {
        v[i] = Long.parseLong(m.group(i + 1));
      }
      return new Run(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }
  }

  private final Settings settings;
  private final Path work;
  private final Path script;
  private final RequestSigner signer = RequestSigner.of(Fixtures.PROVISIONING_SECRET);
  private final Map<String, Double> calibrated = new TreeMap<>();
  private Process server;
  private BufferedReader serverOut;
  private Writer serverIn;

  private LoadPhase(Settings settings, Path work) throws IOException {
    this.settings = settings;
    this.work = work;
    Files.createDirectories(work);
    this.script = work.resolve("signed.lua");
    try (InputStream in = LoadPhase.class.getResourceAsStream("signed.lua")) {
      Files.write(script, in.readAllBytes());
    }
  }

  /**
   * Runs the comparison. With {@code profile}, the server runs under the flight recorder and a
   * summary of where its CPU samples fell is written beside the figures.
   */
  static void run(Settings settings, Path out, Report report, boolean profile) throws Exception {
    LoadPhase phase = new LoadPhase(settings, out.resolve("load"));
    Path recording = out.resolve("load-server.jfr");
    phase.startServer(profile ? recording : null);
    try {
      phase.measure(report);
    } finally {
      phase.stopServer();
      phase.deleteRequestFiles();
    }
    if (profile) {
      Profiles.summarize(recording, out.resolve("profile-load-server.txt"));
      System.out.println("  profile: " + out.resolve("profile-load-server.txt"));
    }
  }

  private void measure(Report report) throws Exception {
    int port = restart();
    sameBytes(port, report);

    // Warm both servlets and learn how many fresh requests a step may need.
    Duration calibration = settings.calibration();
    for (String method : List.of("GET", "POST")) {
      Path file = signedRequests(method, 40_000);
      wrk(port, file, method, "/plain", 64, calibration);
      Run bare = wrk(port, file, method, "/plain", 64, calibration);
      calibrated.put(method, bare.perSecond());
      // The SDK's path has more for the JIT to compile; compiling counts as the server's CPU.
      Duration sdkWarmup = calibration.multipliedBy(4);
      Path fresh = signedRequests(method, requestsFor(method, sdkWarmup));
      wrk(port, fresh, method, "/flyio", 64, sdkWarmup);
      port = restart();
      deleteRequestFiles();
    }

    int step = 0;
    for (String method : List.of("GET", "POST")) {
      for (int concurrency : settings.concurrencies()) {
        port = restart();
        Path warm = signedRequests(method, requestsFor(method, settings.loadWarmup()));
        List<Measured> sdk = new ArrayList<>();
        List<Measured> bare = new ArrayList<>();
        for (int repeat = 0; repeat < settings.loadRepeats(); repeat++) {
          Path timed = signedRequests(method, requestsFor(method, settings.loadDuration()));
          // Alternate which side goes first (ABBA), so neither always runs on a warmer machine.
          boolean sdkFirst = (step + repeat) % 2 == 0;
          for (int side = 0; side < 2; side++) {
            boolean sdkTurn = (side == 0) == sdkFirst;
            String prefix = sdkTurn ? "/flyio" : "/plain";
            if (repeat == 0) {
              wrk(port, warm, method, prefix, concurrency, settings.loadWarmup());
            }
            double cpuBefore = serverCpuSeconds();
            Run run = wrk(port, timed, method, prefix, concurrency, settings.loadDuration());
            Measured measured = new Measured(run, serverCpuSeconds() - cpuBefore);
            (sdkTurn ? sdk : bare).add(measured);
          }
        }
        step++;
        record(report, method, concurrency, sdk, bare);
        deleteRequestFiles();
      }
    }
  }

  /** One wrk run and the CPU time the server process spent during it. */
  record Measured(Run run, double serverCpuSeconds) {}

  private void record(
      Report report, String method, int concurrency, List<Measured> sdk, List<Measured> bare) {
    String name = "servlet-" + method.toLowerCase(java.util.Locale.ROOT) + "-c" + concurrency;
    double[] sdkFigures = summarize(report, name + "-sdk", sdk);
    double[] bareFigures = summarize(report, name + "-bare", bare);

    // Each repeat's two runs are next to each other in time; the median of their ratios is what
    // a burst of other work on the machine moves least.
    int repeats = sdk.size();
    double[][] ratios = new double[4][repeats];
    for (int i = 0; i < repeats; i++) {
      double[] a = figures(List.of(sdk.get(i)));
      double[] b = figures(List.of(bare.get(i)));
      for (int k = 0; k < 4; k++) {
        ratios[k][i] = a[k] / b[k];
      }
    }
    report.ratio(name + "-rps", median(ratios[0]), spread(ratios[0]), ">=0.95");
    report.ratio(name + "-p50", median(ratios[1]), spread(ratios[1]), null);
    report.ratio(name + "-p99", median(ratios[2]), spread(ratios[2]), "<=1.15");
    report.ratio(name + "-cpu-per-request", median(ratios[3]), spread(ratios[3]), null);
    System.out.printf(
        java.util.Locale.ROOT,
        "  %s: sdk %.0f/s p99 %.0f us %.1f us CPU, bare %.0f/s p99 %.0f us %.1f us CPU%n",
        name,
        sdkFigures[0],
        sdkFigures[2],
        sdkFigures[3],
        bareFigures[0],
        bareFigures[2],
        bareFigures[3]);
  }

  /** Half the range of {@code values}: the error bar shown with their median. */
  private static double spread(double[] values) {
    double min = Arrays.stream(values).min().orElse(0);
    double max = Arrays.stream(values).max().orElse(0);
    return (max - min) / 2;
  }

  /**
   * Records one side's figures and returns them: requests per second over all its runs, the median
   * of the runs' p50 and p99 in microseconds, and server CPU microseconds per request.
   */
  private static double[] summarize(Report report, String name, List<Measured> runs) {
    for (Measured measured : runs) {
      Run run = measured.run();
      if (!run.clean() && (name.endsWith("-sdk") || run.non2xx() + run.socketErrors() > 0)) {
        report.note(
            name
                + " is not clean: "
                + run.non2xx()
                + " answers not 2xx, "
                + run.socketErrors()
                + " socket errors, "
                + run.wrapped()
                + " times out of fresh requests, "
                + run.requests()
                + " requests");
      }
    }
    double[] figures = figures(runs);
    report.figure(name + "-rps", figures[0], 0, "requests/s");
    report.figure(name + "-p50", figures[1], 0, "us");
    report.figure(name + "-p99", figures[2], 0, "us");
    report.figure(name + "-cpu-per-request", figures[3], 0, "us");
    return figures;
  }

  private static double[] figures(List<Measured> runs) {
    long requests = 0;
    long micros = 0;
    double cpu = 0;
    double[] p50 = new double[runs.size()];
    double[] p99 = new double[runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      Run run = runs.get(i).run();
      requests += run.requests();
      micros += run.durationMicros();
      cpu += runs.get(i).serverCpuSeconds();
      p50[i] = run.p50Micros();
      p99[i] = run.p99Micros();
    }
    return new double[] {
      requests * 1e6 / micros, median(p50), median(p99), cpu * 1e6 / Math.max(1, requests)
    };
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** User and system CPU time of the load server so far, from {@code /proc}. */
  private double serverCpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(server.pid()), "stat"));
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / (double) CLOCK_TICKS;
  }

  /**
   * Enough fresh requests for {@code duration} at the fastest rate seen for {@code method} so far,
   * with room to spare, since the machine may be busier during calibration than after it.
   */
  private int requestsFor(String method, Duration duration) {
    double rate = calibrated.getOrDefault(method, 20_000.0);
    return (int) Math.min(2_000_000, rate * duration.toMillis() / 1000.0 * 2.5 + 50_000);
  }

  /**
   * Writes {@code count} requests signed now, split into one file per wrk thread, and returns the
   * files' common prefix.
   */
  private Path signedRequests(String method, int count) throws IOException {
    Path prefix = work.resolve(method.toLowerCase(java.util.Locale.ROOT) + "-" + System.nanoTime());
    Instant now = Instant.now();
    List<Writer> writers = new ArrayList<>();
    try {
      for (int t = 0; t < WRK_THREADS; t++) {
        writers.add(
            new BufferedWriter(
                new OutputStreamWriter(
                    Files.newOutputStream(Path.of(prefix + "." + t)), StandardCharsets.UTF_8),
                1 << 16));
      }
      for (int i = 0; i < count; i++) {
        Writer out = writers.get(i % WRK_THREADS);
        if (method.equals("GET")) {
          String query = Fixtures.resourceQuery(Fixtures.nonce(), now);
          out.write(signer.sign(query));
          out.write('\t');
          out.write("/extensions/" + Fixtures.EXTENSION_ID + "?" + query);
        } else {
          byte[] body = Fixtures.provisionBody("ext_" + Fixtures.nonce(), Fixtures.nonce(), now);
          out.write(signer.sign(body));
          out.write('\t');
          out.write(new String(body, StandardCharsets.UTF_8));
        }
        out.write('\n');
      }
    } finally {
      for (Writer writer : writers) {
        writer.close();
      }
    }
    return prefix;
  }

  private Run wrk(
      int port, Path requests, String method, String prefix, int concurrency, Duration duration)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            "wrk",
            "-t" + WRK_THREADS,
            "-c" + concurrency,
            "-d" + Math.max(1, duration.toSeconds()) + "s",
            "--timeout",
            "10s",
            "-s",
            script.toString(),
            "http://127.0.0.1:" + port,
            "--",
            requests.toString(),
            method,
            prefix);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output;
    try (InputStream in = process.getInputStream()) {
      output = in.readAllBytes();
    }
    if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("wrk did not finish");
    }
    Run run = Run.parse(new String(output, StandardCharsets.UTF_8));
    calibrated.merge(method, run.perSecond(), Math::max);
    return run;
  }

  /** Checks that both servlets answer the same status, headers (but Date) and body. */
  private void sameBytes(int port, Report report) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    boolean same = true;
    for (String method : List.of("GET", "POST")) {
      Instant now = Instant.now();
      List<HttpResponse<byte[]>> answers = new ArrayList<>();
      for (String prefix : List.of("/flyio", "/plain")) {
        HttpRequest request;
        if (method.equals("GET")) {
          String query = Fixtures.resourceQuery(Fixtures.nonce(), now);
          request =
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port
                              + prefix
                              + "/extensions/"
                              + Fixtures.EXTENSION_ID
                              + "?"
                              + query))
                  .header(RequestSigner.SIGNATURE_HEADER, signer.sign(query))
                  .GET()
                  .build();
        } else {
          byte[] body = Fixtures.provisionBody("ext_check", Fixtures.nonce(), now);
          request =
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + prefix + "/extensions"))
                  .header(RequestSigner.SIGNATURE_HEADER, signer.sign(body))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build();
        }
        answers.add(client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
      }
      HttpResponse<byte[]> sdk = answers.get(0);
      HttpResponse<byte[]> bare = answers.get(1);
      Map<String, List<String>> sdkHeaders = new TreeMap<>(sdk.headers().map());
      Map<String, List<String>> bareHeaders = new TreeMap<>(bare.headers().map());
      sdkHeaders.remove("date");
      bareHeaders.remove("date");
      boolean equal =
          sdk.statusCode() == 200
              && sdk.statusCode() == bare.statusCode()
              && sdkHeaders.equals(bareHeaders)
              && Arrays.equals(sdk.body(), bare.body());
      if (!equal) {
        report.note(
            method
                + ": the SDK answered "
                + sdk.statusCode()
                + " "
                + sdkHeaders
                + " "
                + new String(sdk.body(), StandardCharsets.UTF_8)
                + "; the bare servlet "
                + bare.statusCode()
                + " "
                + bareHeaders);
      }
      same &= equal;
    }
    report.figure("servlet-same-answer-bytes", same ? 1 : 0, 0, "1 if equal");
    if (!same) {
      throw new IllegalStateException("the two servlets answer different bytes; see the notes");
    }
  }

  private void startServer(@Nullable Path recording) throws IOException {
    List<String> jvm = new ArrayList<>(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"));
    if (recording != null) {
      jvm.add(
          "-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=2ms,filename="
              + recording);
    }
    server =
        new ProcessBuilder(Forks.command(LoadServer.class, jvm, List.of()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    serverOut =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    serverIn = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
  }

  private int restart() throws IOException {
    serverIn.write("start\n");
    serverIn.flush();
    String line = serverOut.readLine();
    // The flight recorder, when on, says so on the same output.
    while (line != null && line.contains("[jfr")) {
      line = serverOut.readLine();
    }
    if (line == null || !line.startsWith("port ")) {
      throw new IOException("the load server did not start: " + line);
    }
    return Integer.parseInt(line.substring(5).trim());
  }

  private void stopServer() throws InterruptedException {
    try {
      serverIn.write("stop\n");
      serverIn.close();
    } catch (IOException e) {
      // It has gone already.
    }
    if (!server.waitFor(15, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }

  private void deleteRequestFiles() throws IOException {
    try (var files = Files.list(work)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.startsWith("get-") || name.startsWith("post-")) {
          Files.delete(file);
        }
      }
    }
  }
}
