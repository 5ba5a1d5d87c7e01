package dev.flyext.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.ProvisionRequest;
import dev.flyext.RequestSigner;
import dev.flyext.SignatureVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmarks measure accepted requests only: what they sign must verify. */
class FixturesTest {
  private final RequestSigner signer = RequestSigner.of(Fixtures.PROVISIONING_SECRET);
  private final SignatureVerifier verifier =
      SignatureVerifier.builder()
          .secret(Fixtures.PROVISIONING_SECRET)
          .publicBaseUrl(Fixtures.PUBLIC_BASE_URL)
          .build();

  @Test
  void padsBodiesToTheExactSize() {
    byte[] small = Fixtures.provisionBodyOfSize(1024, Fixtures.nonce(), Instant.now());
    byte[] large = Fixtures.provisionBodyOfSize(16384, Fixtures.nonce(), Instant.now());

    assertThat(small).hasSize(1024);
    assertThat(large).hasSize(16384);
    assertThat(ProvisionRequest.parse(large).options()).isNotNull();
  }

  @Test
  void signedBodiesVerify() {
    byte[] body = Fixtures.provisionBody("ext_1", Fixtures.nonce(), Instant.now());

    var json = verifier.verifyBody(List.of(signer.sign(body)), body, "/extensions");

    assertThat(json.get("id").textValue()).isEqualTo("ext_1");
  }

  @Test
  void signedQueriesVerify() {
    String query = Fixtures.resourceQuery(Fixtures.nonce(), Instant.now());

    Map<String, String> parameters =
        verifier.verifyQuery(
            List.of(signer.sign(query)), query, "/extensions/" + Fixtures.EXTENSION_ID);

    assertThat(parameters).containsKeys("nonce", "timestamp", "url");
  }

  @Test
  void noncesLookLikeFlysAndDoNotRepeat() {
    String first = Fixtures.nonce();
    String second = Fixtures.nonce();

    assertThat(first).hasSize(32).matches("[0-9a-f]{32}");
    assertThat(second).isNotEqualTo(first);
  }
}
