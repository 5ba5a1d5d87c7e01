package dev.flyext.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The checks as one JUnit test each, the way docs/testing.md shows a provider team. */
class ConformanceAsJUnitTestsTest {
  private static FlyApiStandIn standIn;
  private static SdkProvider provider;

  @BeforeAll
  static void start() throws Exception {
    standIn = FlyApiStandIn.builder().start();
    provider = SdkProvider.builder().signInWith(standIn).start();
  }

  @AfterAll
  static void stop() {
    provider.close();
    standIn.close();
  }

  @TestFactory
  Stream<DynamicTest> conformance() {
    Conformance conformance = Conformance.of(provider.simulator());
    return conformance.checks().stream()
        .map(
            check ->
                DynamicTest.dynamicTest(
                    check.name(),
                    () -> {
                      CheckResult result = check.run();
                      Assumptions.assumeFalse(result.skipped(), result.reason());
                      assertThat(result.passed()).as(result.line()).isTrue();
                    }));
  }
}
