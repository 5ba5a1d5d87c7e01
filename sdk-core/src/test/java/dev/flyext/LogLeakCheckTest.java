package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The log capture behind {@link LogLeakCheck} sees what the SDK logs. */
class LogLeakCheckTest {
  @Test
  void capturesWhatTheSdkLogs() {
    int before = LogLeakCheck.captured();

    System.getLogger("dev.flyext").log(System.Logger.Level.ERROR, "a handler failed");

    assertThat(LogLeakCheck.captured()).isEqualTo(before + 1);
  }
}
