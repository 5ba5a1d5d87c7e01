package dev.flyext.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner's command line, run in-process with its output captured. */
@Timeout(30)
class ConformanceMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void exitsZeroAndPrintsOneLinePerCheckThenTheSummary() throws Exception {
    try (FlyApiStandIn standIn = FlyApiStandIn.builder().start();
        SdkProvider provider = SdkProvider.builder().signInWith(standIn).start()) {

      int status =
          run(
              Map.of(),
              "--base-url",
              provider.baseUrl(),
              "--public-url",
              provider.publicBaseUrl(),
              "--secret",
              SdkProvider.SECRET);

      assertThat(status).as(printed()).isZero();
      List<String> lines = printed().lines().toList();
      assertThat(lines).hasSize(21);
      assertThat(lines.subList(0, 20)).allSatisfy(line -> assertThat(line).startsWith("PASS "));
      assertThat(lines.get(0)).isEqualTo("PASS provision");
      assertThat(lines.get(20)).isEqualTo("20 passed, 0 failed, 0 skipped");
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }

  @Test
  void exitsOneAndNamesTheFailedChecksWithWhatWasSentAndWhatCameBack() throws Exception {
    try (FlawedProvider provider = FlawedProvider.start(FlawedProvider.Flaw.NEVER_VERIFIES)) {

      int status =
          run(Map.of(), "--base-url=" + provider.baseUrl(), "--secret=" + FlawedProvider.SECRET);

      assertThat(status).isEqualTo(1);
      List<String> lines = printed().lines().toList();
      assertThat(lines)
          .filteredOn(line -> line.startsWith("FAIL "))
          .hasSize(7)
          .allSatisfy(
              line -> assertThat(line).matches("FAIL refuses-[a-z-]+: .+; sent .+; got .+"));
      assertThat(lines)
          .contains(
              "SKIP billing: the provider reports no billing: the billing route"
                  + " answered 404 (billing is provisional; see docs/billing.md)");
      assertThat(lines.get(lines.size() - 1)).isEqualTo("10 passed, 7 failed, 3 skipped");
    }
  }

  @Test
  void neverPrintsTheSecretOrAWholeSignature() throws Exception {
    try (FlawedProvider provider = FlawedProvider.start(FlawedProvider.Flaw.NEVER_VERIFIES)) {

      run(Map.of(), "--base-url", provider.baseUrl(), "--secret", FlawedProvider.SECRET);

      assertThat(printed()).doesNotContain(FlawedProvider.SECRET);
      assertThat(printed()).doesNotContainPattern("[0-9a-fA-F]{64}");
      assertThat(printed()).containsPattern("X-Signature: [0-9a-f]{8}\\.\\.\\.");
    }
  }

  @Test
  void readsTheSecretFromTheEnvironmentAndRunsOnlyTheChecksAskedFor() throws Exception {
    try (SdkProvider provider = SdkProvider.builder().start()) {

      int status =
          run(
              Map.of(ConformanceMain.SECRET_VARIABLE, SdkProvider.SECRET),
              "--base-url",
              provider.baseUrl(),
              "--check",
              "refuses-stale-timestamp",
              "--check",
              "provision");

      assertThat(status).isZero();
      assertThat(printed().lines())
          .containsExactly(
              "PASS refuses-stale-timestamp", "PASS provision", "2 passed, 0 failed, 0 skipped");
    }
  }

  @Test
  void aWrongSecretFailsTheLifecycleButNotTheRefusals() throws Exception {
    try (SdkProvider provider = SdkProvider.builder().start()) {

      int status =
          run(Map.of(), "--base-url", provider.baseUrl(), "--secret", "not-the-right-secret");

      assertThat(status).isEqualTo(1);
      assertThat(printed()).contains("FAIL provision: a valid provision answered 401");
      assertThat(printed()).contains("signature_mismatch").doesNotContain("not-the-right-secret");
    }
  }

  @Test
  void usageMistakesExitTwoAndSayWhatIsWrong() {
    assertThat(run(Map.of(), "--secret", "s")).isEqualTo(2);
    assertThat(stderr()).contains("--base-url is required");

    assertThat(run(Map.of(), "--base-url", "http://127.0.0.1:9")).isEqualTo(2);
    assertThat(stderr()).contains("no secret: pass --secret, or set FLY_PROVISIONING_SECRET");

    assertThat(run(Map.of(), "--base-url", "127.0.0.1:9", "--secret", "s")).isEqualTo(2);
    assertThat(stderr()).contains("must be an absolute http or https URL");

    assertThat(run(Map.of(), "--base-url", "http://127.0.0.1:9", "--secret", "s", "--check", "x"))
        .isEqualTo(2);
    assertThat(stderr()).contains("no conformance check named \"x\"");

    assertThat(run(Map.of(), "--bogus", "1")).isEqualTo(2);
    assertThat(stderr()).contains("unknown option \"--bogus\"");

    assertThat(run(Map.of(), "--secret", "s", "stray-value-maybe-a-secret")).isEqualTo(2);
    assertThat(stderr()).contains("unexpected argument 3").doesNotContain("stray-value");

    assertThat(run(Map.of(), "--base-url")).isEqualTo(2);
    assertThat(stderr()).contains("--base-url needs a value");

    assertThat(
            run(Map.of(), "--timeout", "soon", "--base-url", "http://127.0.0.1:9", "--secret", "s"))
        .isEqualTo(2);
    assertThat(stderr()).contains("--timeout takes whole seconds");
    assertThat(printed()).isEmpty();
  }

  @Test
  void helpAndListExitZero() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(printed()).startsWith("usage: java -jar fly-conformance.jar --base-url URL");

    assertThat(run(Map.of(), "--list")).isZero();
    assertThat(printed().lines())
        .hasSize(20)
        .first()
        .isEqualTo("provision: a signed provision answers 200 with an id and a config object");
  }

  private int run(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return ConformanceMain.run(
        args,
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
