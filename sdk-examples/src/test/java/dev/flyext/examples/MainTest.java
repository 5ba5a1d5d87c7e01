package dev.flyext.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flyext.FlyApiClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  private static final Map<String, String> COMPLETE =
      Map.of(
          "FLY_PROVISIONING_SECRET", "prov-secret-1",
          "FLY_WEBHOOK_SECRET", "hook-secret-1",
          "FLY_OAUTH_CLIENT_ID", "client-1",
          "FLY_OAUTH_CLIENT_SECRET", "client-secret-1",
          "FLY_PROVIDER_NAME", "kvstore");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void serveRefusesToStartNamingEveryMissingVariableOnOneLine() {
    Map<String, String> env =
        Map.of(
            "FLY_PROVISIONING_SECRET", "prov-secret-1",
            "FLY_WEBHOOK_SECRET", "  ",
            "FLY_OAUTH_CLIENT_ID", "client-1");

    int status = run(env, "serve");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "example-provider: missing environment variables FLY_WEBHOOK_SECRET,"
                + " FLY_OAUTH_CLIENT_SECRET, FLY_PROVIDER_NAME; see README"
                + System.lineSeparator());
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void serveWithAnEmptyEnvironmentNamesAllFiveRequiredVariables() {
    int status = run(Map.of(), "serve");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "example-provider: missing environment variables FLY_PROVISIONING_SECRET,"
                + " FLY_WEBHOOK_SECRET, FLY_OAUTH_CLIENT_ID, FLY_OAUTH_CLIENT_SECRET,"
                + " FLY_PROVIDER_NAME; see README");
  }

  @Test
  void serveRefusesAPortThatIsNotANumber() {
    Map<String, String> env = new HashMap<>(COMPLETE);
    env.put("PORT", "eighty");

    int status = run(env, "serve");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "example-provider: PORT must be a port number from 1 to 65535, was \"eighty\";"
                + " see README");
  }

  @Test
  void serveRefusesAPublicUrlTheSdkCannotVerifyAgainst() {
    Map<String, String> env = new HashMap<>(COMPLETE);
    env.put("PUBLIC_URL", "https://kv.example.com/flyio?x=1");

    int status = run(env, "serve");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .singleElement()
        .asString()
        .startsWith("example-provider: ")
        .contains("must not have a query");
  }

  @Test
  void noCommandOrAnUnknownOnePrintsUsageAndExitsTwo() {
    assertThat(run(Map.of())).isEqualTo(2);
    assertThat(run(Map.of(), "start")).isEqualTo(2);
    assertThat(run(Map.of(), "serve", "demo")).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("usage: java -jar example-provider.jar <command>")
        .contains("  serve ", "  demo ");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void configDefaultsFollowTheReadme() throws Exception {
    ServeConfig config = ServeConfig.fromEnvironment(COMPLETE);

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.publicUrl()).isEqualTo("http://localhost:8080/flyio");
    assertThat(config.flyApiUrl()).isEqualTo("https://api.fly.io");
    assertThat(config.providerName()).isEqualTo("kvstore");
  }

  @Test
  void defaultPublicUrlFollowsThePort() throws Exception {
    Map<String, String> env = new HashMap<>(COMPLETE);
    env.put("PORT", "9090");

    ServeConfig config = ServeConfig.fromEnvironment(env);

    assertThat(config.publicUrl()).isEqualTo("http://localhost:9090/flyio");
  }

  @Test
  void configToStringShowsNoSecret() throws Exception {
    String shown = ServeConfig.fromEnvironment(COMPLETE).toString();

    assertThat(shown).doesNotContain("prov-secret-1", "hook-secret-1", "client-secret-1");
  }

  @Test
  void theFlyClientUsesTheConfiguredApiAndTheCallbackBelowThePublicUrl() throws Exception {
    Map<String, String> env = new HashMap<>(COMPLETE);
    env.put("FLY_API_URL", "http://127.0.0.1:9");
    env.put("PUBLIC_URL", "https://kv.example.com/flyio/");
    ServeConfig config = ServeConfig.fromEnvironment(env);

    try (FlyApiClient fly = Main.flyClient(config)) {
      assertThat(config.redirectUri()).isEqualTo("https://kv.example.com/flyio/oauth/callback");
      assertThat(fly.webhookUrl()).isEqualTo("http://127.0.0.1:9/api/hooks/extensions/kvstore");
      assertThat(fly.clientId()).isEqualTo("client-1");
      assertThat(fly.authorizeUrl("state-1").toString())
          .startsWith("http://127.0.0.1:9/oauth/authorize?")
          .contains("redirect_uri=https%3A%2F%2Fkv.example.com%2Fflyio%2Foauth%2Fcallback");
    }
  }

  @Test
  void refusesAFlyApiUrlThatIsNotHttp() {
    Map<String, String> env = new HashMap<>(COMPLETE);
    env.put("FLY_API_URL", "api.fly.io");

    assertThatThrownBy(() -> ServeConfig.fromEnvironment(env))
        .isInstanceOf(ServeConfig.InvalidException.class)
        .hasMessageStartingWith("FLY_API_URL must be an absolute http or https URL");
  }

  private int run(Map<String, String> env, String... args) {
    return Main.run(
        args,
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
