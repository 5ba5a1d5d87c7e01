package dev.flyext.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DemoTest {
  @Test
  void everyStepGetsTheExpectedAnswer() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Demo.Result result = Demo.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(result.steps())
        .extracting(Demo.Step::name)
        .containsExactly(
            "provision",
            "status while pending",
            "webhook",
            "status when ready",
            "update",
            "machine event",
            "billing",
            "dashboard without session",
            "sso",
            "fly authorize",
            "callback",
            "dashboard",
            "sso again",
            "forged state",
            "delete",
            "status after delete",
            "tampered",
            "replayed");
    assertThat(result.steps())
        .allSatisfy(step -> assertThat(step.passed()).as(step.name()).isTrue());
    assertThat(result.allPassed()).isTrue();
    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(output)
        .contains("< 401 {\"error\":\"X-Signature does not match")
        .contains("provider log: POST /extensions 401 signature_mismatch")
        .contains("provider log: POST /extensions 401 replayed_nonce")
        .contains("\"status\":\"pending\"")
        .contains(
            "fly: POST /api/hooks/extensions/kv resource.updated ext_7hq2m status=ready"
                + " (signature verified) -> 200")
        .contains("< Location: " + "/dashboard/ext_7hq2m")
        .contains("<   Signed in as: Ada Lovelace")
        .contains("<   Organization: Acme Rockets (OrgA1b2C3)")
        .contains("<   Role: admin")
        .contains("provider log: GET /oauth/callback 400 foreign_state")
        .contains("demo: all 18 steps got the expected answer");
  }

  @Test
  void printsNoSecretSignatureOrToken() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Demo.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    // The secret and every signature are 64 hex characters; nonces, which are not secret, 32.
    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(output).doesNotContainPattern("[0-9a-fA-F]{64}");
    assertThat(output).contains("\"KV_TOKEN\":\"kvt_...(masked)\"");
    assertThat(output).doesNotContainPattern("kvt_[A-Za-z0-9_-]");
    // OAuth codes and states, and cookie values, keep six characters.
    assertThat(output).contains("state=", "code=", "kv_session=");
    assertThat(output).doesNotContainPattern("[?&](state|code)=[^.&\\s]{7}");
    assertThat(output).doesNotContainPattern("(kv_session|flyext_sso_[^=]*)=[^.;\\s]{7}");
    assertThat(output).doesNotContainPattern("flyext_sso_[^.=]{7}");
  }

  @Test
  void demoCommandExitsZeroWhenEveryStepPasses() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        Main.run(
            new String[] {"demo"},
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("example-provider demo: the kv provider answers at http://127.0.0.1:");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
