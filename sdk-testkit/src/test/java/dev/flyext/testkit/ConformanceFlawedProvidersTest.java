package dev.flyext.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.testkit.FlawedProvider.Flaw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance checks against a hand-written provider: correct as written, then with one rule
 * broken at a time. Each broken rule must fail exactly the checks about it.
 */
@Timeout(30)
class ConformanceFlawedProvidersTest {
  @Test
  void passesTheHandWrittenProviderWithoutFlaws() throws Exception {
    ConformanceReport report = run(Flaw.NONE);

    assertThat(report.failedNames()).as(report.toString()).isEmpty();
    assertThat(report.skippedNames())
        .containsExactly("billing", "async-provisioning", "sso-redirects-to-fly");
  }

  @Test
  void aProviderThatNeverVerifiesFailsEveryRefusal() throws Exception {
    ConformanceReport report = run(Flaw.NEVER_VERIFIES);

    assertThat(report.failedNames())
        .as(report.toString())
        .containsExactly(
            "refuses-bad-signature",
            "refuses-wrong-secret",
            "refuses-missing-signature",
            "refuses-stale-timestamp",
            "refuses-future-timestamp",
            "refuses-replayed-nonce",
            "refuses-foreign-url");
    assertThat(report.result("refuses-missing-signature").line())
        .startsWith(
            "FAIL refuses-missing-signature: a provision with no X-Signature header was accepted"
                + " with 200; expected a refusal with 401; sent POST /flyio/extensions"
                + " (no X-Signature) timestamp=")
        .containsPattern(
            " nonce=[0-9a-f]{32} url=http://127\\.0\\.0\\.1:[0-9]+/flyio/extensions body \\{")
        .contains("; got 200 application/json {\"id\":\"ext_conf");
  }

  @Test
  void aNumberInConfigFailsOnlyTheStringCheck() throws Exception {
    ConformanceReport report = run(Flaw.NUMBER_IN_CONFIG);

    assertThat(report.failedNames())
        .as(report.toString())
        .containsExactly("config-values-are-strings");
    CheckResult result = report.result("config-values-are-strings");
    assertThat(result.reason()).endsWith("KV_PORT is a number");
    assertThat(result.got()).contains("\"KV_PORT\":6379").contains("\"KV_TOKEN\":\"(masked)\"");
  }

  @Test
  void provisioningTwiceFailsOnlyTheRepeatCheck() throws Exception {
    ConformanceReport report = run(Flaw.PROVISIONS_TWICE);

    assertThat(report.failedNames())
        .as(report.toString())
        .containsExactly("repeated-provision-same-answer");
    assertThat(report.result("repeated-provision-same-answer").reason())
        .startsWith("the repeated provision answered differently (config.KV_TOKEN changed)");
  }

  @Test
  void htmlErrorsFailOnlyTheJsonCheck() throws Exception {
    ConformanceReport report = run(Flaw.HTML_ERRORS);

    assertThat(report.failedNames())
        .as(report.toString())
        .containsExactly("error-answers-are-json");
    CheckResult result = report.result("error-answers-are-json");
    assertThat(result.reason())
        .startsWith(
            "a status request for an unknown id answered 404 with Content-Type text/html;"
                + " charset=utf-8; error answers must be JSON objects");
    assertThat(result.got()).startsWith("404 text/html; charset=utf-8 <!DOCTYPE html>");
  }

  private static ConformanceReport run(Flaw flaw) throws Exception {
    try (FlawedProvider provider = FlawedProvider.start(flaw)) {
      return Conformance.of(provider.simulator()).run();
    }
  }
}
