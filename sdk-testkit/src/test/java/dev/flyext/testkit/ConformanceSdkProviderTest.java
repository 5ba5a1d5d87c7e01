package dev.flyext.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The conformance checks against a correct provider built with the SDK's endpoint. */
@Timeout(30)
class ConformanceSdkProviderTest {
  @Test
  void passesEveryCheckWhenTheProviderOffersEverything() throws Exception {
    try (FlyApiStandIn standIn = FlyApiStandIn.builder().start();
        SdkProvider provider = SdkProvider.builder().signInWith(standIn).start()) {

      ConformanceReport report = Conformance.of(provider.simulator()).run();

      assertThat(report.results())
          .allSatisfy(result -> assertThat(result.passed()).as(result.line()).isTrue());
      assertThat(report.summary())
          .isEqualTo(report.results().size() + " passed, 0 failed, 0 skipped");
      assertThat(provider.handler().events()).hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void skipsWhatTheProviderDoesNotOfferAndSaysWhy() throws Exception {
    try (SdkProvider provider = SdkProvider.builder().withoutBilling().start()) {
      FlySimulator fly = provider.simulator();

      ConformanceReport report =
          Conformance.of(fly).run(List.of("billing", "sso-redirects-to-fly", "provision"), r -> {});

      assertThat(report.failedNames()).isEmpty();
      assertThat(report.skippedNames()).containsExactly("billing", "sso-redirects-to-fly");
      assertThat(report.result("billing").line())
          .isEqualTo(
              "SKIP billing: the provider reports no billing: the billing route answered 501"
                  + " (billing is provisional; see docs/billing.md)");
      assertThat(report.result("sso-redirects-to-fly").reason()).contains("answered 501");
      assertThat(report.summary()).isEqualTo("1 passed, 0 failed, 2 skipped");
    }
  }

  @Test
  void skipsTheAsyncCheckForAProviderThatIsReadyAtOnce() throws Exception {
    try (FlawedProvider provider = FlawedProvider.start(FlawedProvider.Flaw.NONE)) {

      CheckResult result = Conformance.of(provider.simulator()).check("async-provisioning").run();

      assertThat(result.skipped()).as(result.line()).isTrue();
      assertThat(result.reason()).contains("answered \"ready\" right after provisioning");
    }
  }

  @Test
  void passesBehindAProxyWhenTheSignedUrlIsThePublicOne() throws Exception {
    try (SdkProvider provider =
        SdkProvider.builder().publicBaseUrl("https://kv.example.test/flyio").start()) {
      FlySimulator fly =
          FlySimulator.builder()
              .baseUrl(provider.baseUrl())
              .publicUrl("https://kv.example.test/flyio")
              .secret(SdkProvider.SECRET)
              .build();

      ConformanceReport report = Conformance.of(fly).run();

      assertThat(report.failedNames()).as(report.toString()).isEmpty();
    }
  }

  @Test
  void aWrongPublicUrlFailsTheLifecycleWithTheProvidersReason() throws Exception {
    try (SdkProvider provider =
        SdkProvider.builder().publicBaseUrl("https://kv.example.test/flyio").start()) {

      // Signed for the container's own URL, which behind a proxy is not what Fly signs.
      FlySimulator fly =
          FlySimulator.builder().baseUrl(provider.baseUrl()).secret(SdkProvider.SECRET).build();

      CheckResult result = Conformance.of(fly).check("provision").run();

      assertThat(result.failed()).isTrue();
      assertThat(result.reason())
          .isEqualTo("a valid provision answered 401; expected 200 with id and config");
      assertThat(result.got()).startsWith("401 application/json").contains("wrong_url");
      assertThat(result.sent()).startsWith("POST /flyio/extensions X-Signature: ");
    }
  }

  @Test
  void everyCheckIsNamedAndDescribedAndCanBeLookedUp() throws Exception {
    try (SdkProvider provider = SdkProvider.builder().start()) {
      Conformance conformance = Conformance.of(provider.simulator());

      assertThat(conformance.names())
          .containsExactly(
              "provision",
              "status",
              "update",
              "config-values-are-strings",
              "repeated-provision-same-answer",
              "delete-twice-succeeds",
              "status-after-delete-is-404",
              "refuses-bad-signature",
              "refuses-wrong-secret",
              "refuses-missing-signature",
              "refuses-stale-timestamp",
              "refuses-future-timestamp",
              "refuses-replayed-nonce",
              "refuses-foreign-url",
              "error-answers-are-json",
              "machine-event-cloudevents",
              "machine-event-legacy",
              "billing",
              "async-provisioning",
              "sso-redirects-to-fly");
      assertThat(conformance.checks()).allSatisfy(c -> assertThat(c.description()).isNotBlank());
      assertThatThrownBy(() -> conformance.check("nope"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no conformance check named \"nope\"")
          .hasMessageContaining("refuses-stale-timestamp");
    }
  }

  @Test
  void anUnreachableProviderFailsWithNoAnswer() throws Exception {
    String baseUrl;
    try (SdkProvider stopped = SdkProvider.builder().start()) {
      baseUrl = stopped.baseUrl();
    }
    FlySimulator fly = FlySimulator.builder().baseUrl(baseUrl).secret(SdkProvider.SECRET).build();

    CheckResult result = Conformance.of(fly).check("status").run();

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).startsWith("no answer: ");
    assertThat(result.sent()).startsWith("POST /flyio/extensions");
  }

  @Test
  void aReportAssertsWithEveryLine() throws Exception {
    try (FlawedProvider provider = FlawedProvider.start(FlawedProvider.Flaw.NUMBER_IN_CONFIG)) {
      ConformanceReport report =
          Conformance.of(provider.simulator())
              .run(List.of("provision", "config-values-are-strings"), r -> {});

      assertThatThrownBy(report::assertAllPassed)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("failed 1 conformance check(s)")
          .hasMessageContaining("PASS provision")
          .hasMessageContaining("FAIL config-values-are-strings: ")
          .hasMessageContaining("1 passed, 1 failed, 0 skipped");
    }
  }
}
