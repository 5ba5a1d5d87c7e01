package dev.flyext.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path folder;

  @Test
  void readsBackWhatAForkedPhaseWrote() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Report.emitFigure(out, "heap", 12.5, "MiB");
    Report.emitRatio(out, "heap-vs-budget", 0.25, "<=1.00");
    Report parent = new Report();

    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      assertThat(parent.accept(line)).isTrue();
    }

    assertThat(parent.find("heap")).isNotNull();
    assertThat(parent.ratioLines()).containsExactly("heap-vs-budget 0.250");
    assertThat(parent.ratios().get(0).met()).isTrue();
    assertThat(parent.accept("Warmup Iteration 1: 12 ops/ms")).isFalse();
  }

  @Test
  void judgesTargetsInTheirDirection() {
    Report report = new Report();
    report.ratio("throughput", 0.93, 0, ">=0.95");
    report.ratio("latency", 1.10, 0, "<=1.15");
    report.ratio("context", 0.10, 0, null);

    assertThat(report.ratios()).extracting(Report.Ratio::met).containsExactly(false, true, true);
  }

  @Test
  void writesEveryFigureAndRatio() throws Exception {
    Report report = new Report();
    report.figure("rps", 1234.5, 10, "requests/s");
    report.ratio("rps-vs-bare", 0.9, 0.01, ">=0.95");
    Path file = folder.resolve("raw.tsv");

    report.write(file, java.util.List.of("2 cores"));

    assertThat(Files.readAllLines(file))
        .contains("# 2 cores")
        .anyMatch(line -> line.startsWith("figure\trps\t1234.5000"))
        .anyMatch(line -> line.endsWith("missed"));
  }

  @Test
  void parsesWhatTheLuaScriptPrints() {
    LoadPhase.Run run =
        LoadPhase.Run.parse(
            "Running 3s test\nwrk-result requests=30000 duration_us=3000000 p50_us=150"
                + " p99_us=900 non2xx=0 socket_errors=0 wrapped=0\n");

    assertThat(run.perSecond()).isEqualTo(10000.0);
    assertThat(run.p99Micros()).isEqualTo(900);
    assertThat(run.clean()).isTrue();
  }
}
