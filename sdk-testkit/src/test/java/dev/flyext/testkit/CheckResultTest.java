package dev.flyext.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckResultTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void linesSayPassFailOrSkipWithTheName() {
    assertThat(CheckResult.passed("provision").line()).isEqualTo("PASS provision");
    assertThat(CheckResult.skipped("billing", "not offered").line())
        .isEqualTo("SKIP billing: not offered");
    assertThat(CheckResult.failed("status", "answered 500", "GET /x", "500 text/plain").line())
        .isEqualTo("FAIL status: answered 500; sent GET /x; got 500 text/plain");
  }

  @Test
  void theSummaryCountsEachOutcome() {
    ConformanceReport report =
        new ConformanceReport(
            List.of(
                CheckResult.passed("a"),
                CheckResult.failed("b", "r", null, null),
                CheckResult.skipped("c", "r"),
                CheckResult.passed("d")));

    assertThat(report.summary()).isEqualTo("2 passed, 1 failed, 1 skipped");
    assertThat(report.allPassed()).isFalse();
    assertThat(report.failedNames()).containsExactly("b");
    assertThat(report.lines()).last().isEqualTo("2 passed, 1 failed, 1 skipped");
  }

  @Test
  void signaturesAndLongBodiesAreShortened() {
    String signature = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";

    assertThat(Redaction.signature(signature)).isEqualTo("f7bc83f4...");
    assertThat(Redaction.shorten("sig " + signature + " end")).isEqualTo("sig f7bc83f4... end");
    assertThat(Redaction.shorten("x".repeat(500)))
        .hasSize(Redaction.BODY_CHARS + 3)
        .endsWith("...");
    assertThat(Redaction.shorten("a\nb")).isEqualTo("a b");
  }

  @Test
  void configStringsAreMaskedButOtherTypesShown() throws Exception {
    String masked =
        Redaction.maskConfig(
            JSON.readTree("{\"id\":\"e\",\"config\":{\"A\":\"secret\",\"B\":1,\"C\":null}}"));

    assertThat(masked)
        .isEqualTo("{\"id\":\"e\",\"config\":{\"A\":\"(masked)\",\"B\":1,\"C\":null}}");
  }

  @Test
  void theSecretIsHiddenWhereverItAppears() {
    assertThat(Redaction.hide("echo s3cr3t and s3cr3t", "s3cr3t"))
        .isEqualTo("echo (secret) and (secret)");
  }

  @Test
  void theFirstDifferenceIsNamedByItsPath() throws Exception {
    assertThat(
            Checks.firstDifference(
                "",
                JSON.readTree("{\"id\":\"e\",\"config\":{\"T\":\"1\"}}"),
                JSON.readTree("{\"id\":\"e\",\"config\":{\"T\":\"2\"}}")))
        .isEqualTo("config.T changed");
    assertThat(
            Checks.firstDifference(
                "", JSON.readTree("{\"id\":\"e\"}"), JSON.readTree("{\"id\":\"e\",\"x\":1}")))
        .isEqualTo("x appears only the second time");
    assertThat(Checks.firstDifference("", JSON.readTree("{\"id\":\"e\"}"), null))
        .isEqualTo("the whole answer is not JSON the second time");
    assertThat(Checks.firstDifference("", JSON.readTree("[1]"), JSON.readTree("[1]"))).isNull();
  }
}
