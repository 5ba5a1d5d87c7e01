package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flyext.internal.PublicUrls;
import dev.flyext.internal.QueryStrings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Properties of the verifier and the parsers over generated input, not hand-picked cases. */
class VerifierAndParserPropertiesTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_764_800_000L);
  private static final String BASE = "https://kv.example.com/flyio";

  private static SignatureVerifier verifier(String secret) {
    return SignatureVerifier.builder()
        .secret(secret)
        .publicBaseUrl(BASE)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .nonceStore(InMemoryNonceStore.create(1_000_000, Clock.fixed(NOW, ZoneOffset.UTC)))
        .build();
  }

  @Property(tries = 300)
  void aSignatureOverAnyContentVerifies(
      @ForAll @StringLength(min = 1, max = 64) String secret, @ForAll byte[] content) {
    Assume.that(!secret.isBlank());
    String signature = RequestSigner.of(secret).sign(content);

    assertThatCode(() -> verifier(secret).verifySignature(List.of(signature), content))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> verifier(secret).verifySignature(List.of(signature.toUpperCase()), content))
        .doesNotThrowAnyException();
  }

  @Property(tries = 300)
  void changingAnyByteOfTheContentBreaksTheSignature(
      @ForAll @Size(min = 1, max = 2048) byte[] content,
      @ForAll @IntRange(min = 0, max = 2047) int position,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    String signature = RequestSigner.of("prov-secret-1").sign(content);
    byte[] changed = content.clone();
    changed[position % changed.length] ^= (byte) flip;

    assertThatThrownBy(() -> verifier("prov-secret-1").verifySignature(List.of(signature), changed))
        .isInstanceOfSatisfying(
            SignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(SignatureException.Reason.SIGNATURE_MISMATCH));
  }

  @Property(tries = 300)
  void anotherSecretNeverVerifies(
      @ForAll @StringLength(min = 1, max = 32) String secret,
      @ForAll @StringLength(min = 1, max = 32) String other,
      @ForAll byte[] content) {
    Assume.that(!secret.isBlank() && !other.isBlank() && !secret.equals(other));
    String signature = RequestSigner.of(other).sign(content);

    assertThatThrownBy(() -> verifier(secret).verifySignature(List.of(signature), content))
        .isInstanceOf(SignatureException.class);
  }

  @Property(tries = 500)
  void anyHeaderValueIsRefusedCleanly(@ForAll @StringLength(max = 600) String header) {
    byte[] content = "{}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> verifier("prov-secret-1").verifySignature(List.of(header), content))
        .isInstanceOf(SignatureException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("prov-secret-1"));
  }

  @Property(tries = 300)
  void freshnessFollowsTheWindowExactly(
      @ForAll @LongRange(min = -1_000, max = 1_000) long offsetSeconds) {
    String url = BASE + "/extensions/ext_1";
    String query =
        RequestSigner.query(url, NOW.plusSeconds(offsetSeconds), RequestSigner.randomNonce());
    String signature = RequestSigner.of("prov-secret-1").sign(query);
    boolean fresh = offsetSeconds >= -300 && offsetSeconds <= 60;

    if (fresh) {
      assertThat(
              verifier("prov-secret-1").verifyQuery(List.of(signature), query, "/extensions/ext_1"))
          .containsEntry("url", url);
    } else {
      assertThatThrownBy(
              () ->
                  verifier("prov-secret-1")
                      .verifyQuery(List.of(signature), query, "/extensions/ext_1"))
          .isInstanceOfSatisfying(
              SignatureException.class,
              e ->
                  assertThat(e.reason())
                      .isIn(
                          SignatureException.Reason.STALE_TIMESTAMP,
                          SignatureException.Reason.FUTURE_TIMESTAMP));
    }
  }

  @Property(tries = 1000)
  void anyBytesParseOrFailWithAProtocolException(@ForAll byte[] body) {
    assertThatCode(
            () -> {
              try {
                ProvisionRequest.parse(body);
              } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).isNotBlank();
              }
            })
        .doesNotThrowAnyException();
  }

  @Property(tries = 1000)
  void anyMutationOfAValidBodyParsesOrFailsWithAProtocolException(
      @ForAll("mutatedBodies") byte[] body) {
    assertThatCode(
            () -> {
              try {
                ProvisionRequest.parse(body);
                UpdateRequest.parse("ext_1", body);
                LifecycleWebhook.parse(body);
              } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).isNotBlank();
              }
            })
        .doesNotThrowAnyException();
  }

  @Provide
  Arbitrary<byte[]> mutatedBodies() {
    byte[] valid = Vectors.PROVISION_BODY.getBytes(StandardCharsets.UTF_8);
    return Arbitraries.integers()
        .between(0, valid.length - 1)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8)
        .flatMap(
            positions ->
                Arbitraries.of(
                        "\"", "{", "}", "[", "]", ",", ":", "1", "null", "true", "\\", "\u00ff", "")
                    .list()
                    .ofSize(positions.size())
                    .map(
                        inserts -> {
                          StringBuilder text =
                              new StringBuilder(new String(valid, StandardCharsets.UTF_8));
                          for (int i = 0; i < positions.size(); i++) {
                            int at = Math.min(positions.get(i), text.length() - 1);
                            text.replace(at, at + 1, inserts.get(i));
                          }
                          return text.toString().getBytes(StandardCharsets.UTF_8);
                        }));
  }

  @Property(tries = 500)
  void queryStringsRoundTrip(
      @ForAll @Size(max = 6)
          Map<@StringLength(min = 1, max = 20) String, @StringLength(max = 40) String> parameters) {
    Map<String, String> ordered = new LinkedHashMap<>(parameters);

    String raw = QueryStrings.join(ordered);

    assertThat(QueryStrings.parse(raw)).containsExactlyEntriesOf(ordered);
  }

  @Property(tries = 500)
  void anyQueryStringParsesOrFailsCleanly(@ForAll @StringLength(max = 200) String raw) {
    assertThatCode(
            () -> {
              try {
                QueryStrings.parse(raw);
              } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
              }
            })
        .doesNotThrowAnyException();
  }

  @Property(tries = 500)
  void anySignedUrlIsComparedWithoutThrowing(@ForAll @StringLength(max = 200) String url) {
    PublicUrls base = PublicUrls.parse(BASE);

    assertThatCode(() -> base.matches(url, "/extensions")).doesNotThrowAnyException();
  }
}
