package dev.flyext.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.testkit.Conformance;
import dev.flyext.testkit.ConformanceMain;
import dev.flyext.testkit.ConformanceReport;
import dev.flyext.testkit.FlySimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The testkit's conformance runner against the example provider, wired as {@code serve} wires it:
 * every check passes and none is skipped, since the example offers machine events, billing,
 * asynchronous provisioning (read replicas) and dashboard sign-in.
 */
@Timeout(60)
class ExampleConformanceTest {
  @Test
  void passesEveryConformanceCheck() throws Exception {
    try (RunningProvider provider =
        RunningProvider.start(RunningProvider.member("Ada"), Duration.ofMillis(300))) {
      FlySimulator fly =
          FlySimulator.builder()
              .baseUrl(provider.base)
              .secret(RunningProvider.PROVISIONING_SECRET)
              .build();

      ConformanceReport report = Conformance.of(fly).run();

      assertThat(report.failedNames()).as(report.toString()).isEmpty();
      assertThat(report.skippedNames()).as(report.toString()).isEmpty();
    }
  }

  @Test
  void theRunnersCommandLineExitsZero() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (RunningProvider provider =
        RunningProvider.start(RunningProvider.member("Ada"), Duration.ofMillis(300))) {

      int status =
          ConformanceMain.run(
              new String[] {"--base-url", provider.base, "--public-url", provider.base},
              Map.of(ConformanceMain.SECRET_VARIABLE, RunningProvider.PROVISIONING_SECRET),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));

      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(status).as(printed).isZero();
      List<String> lines = printed.lines().toList();
      assertThat(lines.get(lines.size() - 1)).isEqualTo("20 passed, 0 failed, 0 skipped");
      assertThat(printed).doesNotContain(RunningProvider.PROVISIONING_SECRET);
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }
}
