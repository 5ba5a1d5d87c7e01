package dev.flyext.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyext.ProviderEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signs with {@code openssl} and sends with {@code curl}, so that neither the signature nor the
 * HTTP request comes from this SDK: the provider must accept what independent tools produce. Needs
 * both on the PATH; {@code .ci/run} installs them.
 */
@Timeout(120)
class OpensslCurlTest {
  private static final String SECRET = "independent-tool-secret";
  private static final Pattern HEX_64 = Pattern.compile("\\b([0-9a-f]{64})\\b");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ExampleServer server;
  private static KvHandler handler;
  private static String base;

  @TempDir Path directory;

  @BeforeAll
  static void startProvider() throws IOException {
    server = ExampleServer.bind("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port() + ExampleServer.MOUNT;
    handler = new KvHandler(Clock.systemUTC());
    server.start(
        ProviderEndpoint.builder()
            .handler(handler)
            .provisioningSecret(SECRET)
            .publicBaseUrl(base)
            .build(),
        new DashboardServlet(handler, "kv"));
  }

  @AfterAll
  static void stopProvider() {
    server.close();
    handler.close();
  }

  @Test
  void opensslReproducesTheProtocolTestVector() throws Exception {
    Path message = write("fox.txt", "The quick brown fox jumps over the lazy dog");

    String signature = hmac("key", message);

    assertThat(signature)
        .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  }

  @Test
  void acceptsARequestSignedByOpensslAndSentByCurl() throws Exception {
    Path body = write("provision.json", provisionBody("ext_tool1"));
    String signature = hmac(SECRET, body);

    Answer answer = curlPost(body, signature);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode json = JSON.readTree(answer.body());
    assertThat(json.path("id").asText()).isEqualTo("ext_tool1");
    assertThat(json.path("config").path("KV_URL").asText())
        .isEqualTo(KvHandler.DATA_URL + "ext_tool1");
    assertThat(json.path("config").path("KV_TOKEN").asText()).startsWith("kvt_");
  }

  @Test
  void refusesTheSameSignatureOverABodyWithOneByteChanged() throws Exception {
    String original = provisionBody("ext_tool2");
    Path signed = write("signed.json", original);
    String signature = hmac(SECRET, signed);
    Path tampered = write("tampered.json", original.replace("OrgA1b2C3", "OrgA1b2C4"));

    Answer answer = curlPost(tampered, signature);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(JSON.readTree(answer.body()).path("reason").asText())
        .isEqualTo("signature_mismatch");
  }

  @Test
  void readmeSnippetRunsAsDocumented() throws Exception {
    Path script = write("snippet.sh", readmeSnippet());

    String output =
        run(
            null,
            Map.of("FLY_PROVISIONING_SECRET", SECRET, "PUBLIC_URL", base),
            "bash",
            "-e",
            script.toString());

    List<String> lines = output.lines().toList();
    assertThat(lines).as(output).hasSize(3);
    assertThat(lines.get(0))
        .contains("\"id\":\"ext_curl1\"", "\"KV_TOKEN\":\"kvt_")
        .endsWith(" 200");
    assertThat(lines.get(1)).contains("\"status\":\"ready\"").endsWith(" 200");
    assertThat(lines.get(2)).contains("\"reason\":\"signature_mismatch\"").endsWith(" 401");
  }

  private record Answer(int status, String body) {}

  private static String provisionBody(String flyId) {
    return "{\"name\":\"kv-tool\",\"id\":\""
        + flyId
        + "\",\"organization_id\":\"OrgA1b2C3\",\"organization_name\":\"Acme Rockets\","
        + "\"user_id\":\"Usr4k2P9\",\"user_email\":\"u7x9@customer.fly.io\",\"user_role\":\"admin\","
        + "\"url\":\""
        + base
        + "/extensions\",\"nonce\":\""
        + flyId
        + "-nonce\",\"timestamp\":"
        + Instant.now().getEpochSecond()
        + "}";
  }

  /** {@code openssl dgst -sha256 -hmac SECRET}, reading the content on stdin. */
  private String hmac(String secret, Path content) throws Exception {
    String output = run(content, Map.of(), "openssl", "dgst", "-sha256", "-hmac", secret);
    Matcher hex = HEX_64.matcher(output);
    assertThat(hex.find()).as("openssl printed no HMAC: %s", output).isTrue();
    return hex.group(1);
  }

  private Answer curlPost(Path body, String signature) throws Exception {
    String output =
        run(
            null,
            Map.of(),
            "curl",
            "-s",
            "--max-time",
            "10",
            "-o",
            "-",
            "-w",
            "%{http_code}",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "-H",
            "X-Signature: " + signature,
            "--data-binary",
            "@" + body,
            base + "/extensions");
    int split = output.length() - 3;
    return new Answer(Integer.parseInt(output.substring(split)), output.substring(0, split));
  }

  /** The first sh block of the README's openssl and curl section. */
  private static String readmeSnippet() throws IOException {
    Path readme = Path.of(System.getProperty("basedir", "."), "README.md");
    List<String> block = new ArrayList<>();
    boolean inSection = false;
    boolean inBlock = false;
    for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
      if (line.startsWith("## ")) {
        inSection = line.equals("## Check it with openssl and curl");
      } else if (inSection && !inBlock && line.equals("```sh")) {
        inBlock = true;
      } else if (inBlock && line.equals("```")) {
        return String.join("\n", block) + "\n";
      } else if (inBlock) {
        block.add(line);
      }
    }
    throw new AssertionError(
        "no ```sh block under \"## Check it with openssl and curl\" in " + readme);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
  }

  /** Runs a tool in the temporary directory and answers its stdout; fails on a non-zero exit. */
  private String run(@Nullable Path stdin, Map<String, String> env, String... command)
      throws Exception {
    Path stderr = Files.createTempFile(directory, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectError(stderr.toFile());
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    }
    builder.environment().putAll(env);

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          command[0] + " is needed on the PATH for this test (.ci/run installs it)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command[0] + " finished").isTrue();
    assertThat(process.exitValue())
        .as("%s exit status; stderr: %s", command[0], Files.readString(stderr))
        .isZero();
    return output;
  }
}
