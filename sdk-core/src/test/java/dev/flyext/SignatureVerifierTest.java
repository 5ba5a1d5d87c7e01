package dev.flyext;

import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.SignatureException.Reason;
import dev.flyext.internal.QueryStrings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {
  private static final String ROUTE = "/extensions";
  private static final String URL = PUBLIC_BASE_URL + ROUTE;
  private static final String RESOURCE_ROUTE = "/extensions/ext_7hq2m";
  private static final String RESOURCE_URL = PUBLIC_BASE_URL + RESOURCE_ROUTE;

  private final MutableClock clock = MutableClock.at(PROVISION_TIME);
  private final RequestSigner signer = RequestSigner.of(PROVISIONING_SECRET);
  private final SignatureVerifier verifier = configured().build();

  /** Every string a refusal message must not contain: the secrets and signatures in play. */
  private final List<String> secrets = new ArrayList<>(List.of(PROVISIONING_SECRET));

  private SignatureVerifier.Builder configured() {
    return SignatureVerifier.builder()
        .secret(PROVISIONING_SECRET)
        .publicBaseUrl(PUBLIC_BASE_URL)
        .clock(clock);
  }

  // --- signature header ---

  @Test
  void acceptsSignedBody() {
    byte[] body = body(fields());

    ObjectNode json = verifier.verifyBody(List.of(signer.sign(body)), body, ROUTE);

    assertThat(json.get("name").textValue()).isEqualTo("kv-prod");
  }

  @Test
  void acceptsUppercaseHexSignature() {
    byte[] body = body(fields());
    String upper = signer.sign(body).toUpperCase(Locale.ROOT);

    ObjectNode json = verifier.verifyBody(List.of(upper), body, ROUTE);

    assertThat(json.get("url").textValue()).isEqualTo(URL);
  }

  @Test
  void refusesMissingSignatureHeader() {
    byte[] body = body(fields());

    SignatureException e = refusedBody(List.of(), body);

    assertThat(e.reason()).isEqualTo(Reason.MISSING_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void refusesEmptySignatureHeader(String header) {
    byte[] body = body(fields());

    SignatureException e = refusedBody(List.of(header), body);

    assertThat(e.reason()).isEqualTo(Reason.MISSING_SIGNATURE);
  }

  @Test
  void refusesRepeatedSignatureHeader() {
    byte[] body = body(fields());
    String signature = signer.sign(body);

    SignatureException e = refusedBody(List.of(signature, signature), body);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
    assertThat(e.getMessage()).contains("2 times");
  }

  @Test
  void refusesOddLengthSignature() {
    byte[] body = body(fields());
    String signature = signer.sign(body).substring(0, 63);

    SignatureException e = refusedBody(List.of(signature), body);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void refusesSignatureOfRightLengthWithNonHexCharacters() {
    byte[] body = body(fields());
    String signature = "g" + signer.sign(body).substring(1);

    SignatureException e = refusedBody(List.of(signature), body);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
    assertThat(e.getMessage()).contains("not all hex");
  }

  @ParameterizedTest
  @ValueSource(chars = {'\u0660', '\u06F0', '\u0966', '\uFF10'})
  void refusesNonAsciiDigitsEvenThoughJavaReadsThemAsHex(char zero) {
    byte[] body = body(fields());
    String signature = signer.sign(body);
    String lookalike =
        signature
            .chars()
            .mapToObj(c -> c >= '0' && c <= '9' ? (char) (zero + c - '0') : (char) c)
            .map(String::valueOf)
            .collect(Collectors.joining());
    assertThat(lookalike).isNotEqualTo(signature).hasSize(64);
    assertThat(Character.digit(zero, 16)).isZero();

    SignatureException e = refusedBody(List.of(lookalike), body);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void refusesSha256Prefix() {
    byte[] body = body(fields());
    String signature = "sha256=" + signer.sign(body);

    SignatureException e = refusedBody(List.of(signature), body);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
    assertThat(e.getMessage()).contains("prefix");
  }

  @Test
  void refusesBase64SignatureByDefault() {
    byte[] body = body(fields());
    String signature = base64(signer.sign(body));

    SignatureException e = refusedBody(List.of(signature), body);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void acceptsBase64SignatureWhenEnabled() {
    SignatureVerifier lenient = configured().acceptBase64Signatures().build();
    byte[] body = body(fields());
    String signature = base64(signer.sign(body));

    ObjectNode json = lenient.verifyBody(List.of(signature), body, ROUTE);

    assertThat(json.get("name").textValue()).isEqualTo("kv-prod");
  }

  @Test
  void refusesWrongBase64SignatureWhenEnabled() {
    SignatureVerifier lenient = configured().acceptBase64Signatures().build();
    byte[] body = body(fields());
    String signature = base64(RequestSigner.of("other-secret").sign(body));

    SignatureException e = refused(() -> lenient.verifyBody(List.of(signature), body, ROUTE));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void refusesWellFormedSignatureThatDoesNotMatch() {
    byte[] body = body(fields());
    String signature = signer.sign(body);
    char last = signature.charAt(63);
    String flipped = signature.substring(0, 63) + (last == '0' ? '1' : '0');

    SignatureException e = refusedBody(List.of(flipped), body);

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void refusesSignatureMadeWithAnotherSecret() {
    byte[] body = body(fields());
    secrets.add("prov-secret-2");
    String signature = RequestSigner.of("prov-secret-2").sign(body);

    SignatureException e = refusedBody(List.of(signature), body);

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void refusesBodyChangedAfterSigning() {
    byte[] signed = body(fields());
    String signature = signer.sign(signed);
    byte[] received = utf8(new String(signed, StandardCharsets.UTF_8) + " ");

    SignatureException e = refusedBody(List.of(signature), received);

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void acceptsAnyConfiguredSecretDuringRotation() {
    SignatureVerifier rotating = configured().secret("prov-secret-2").build();
    byte[] oldBody = body(fields());
    byte[] newBody = body(fields());

    rotating.verifyBody(List.of(signer.sign(oldBody)), oldBody, ROUTE);
    rotating.verifyBody(List.of(RequestSigner.of("prov-secret-2").sign(newBody)), newBody, ROUTE);

    byte[] third = body(fields());
    SignatureException e =
        refused(
            () ->
                rotating.verifyBody(
                    List.of(RequestSigner.of("prov-secret-3").sign(third)), third, ROUTE));
    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void checksTheSignatureBeforeParsingTheBody() {
    byte[] notJson = utf8("this is not json");

    Throwable unsigned =
        catchThrowable(() -> verifier.verifyBody(List.of(zeros()), notJson, ROUTE));
    Throwable signed =
        catchThrowable(() -> verifier.verifyBody(List.of(signer.sign(notJson)), notJson, ROUTE));

    assertThat(unsigned).isInstanceOf(SignatureException.class);
    assertThat(signed).isInstanceOf(ProtocolException.class);
  }

  // --- freshness ---

  @Test
  void refusesTimestampOlderThanMaxAge() {
    Map<String, String> fields = fields();
    fields.put("timestamp", Long.toString(PROVISION_TIME.getEpochSecond() - 301));
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.STALE_TIMESTAMP);
    assertThat(e.getMessage()).contains("301 s old");
  }

  @Test
  void acceptsTimestampExactlyMaxAgeOld() {
    Map<String, String> fields = fields();
    fields.put("timestamp", Long.toString(PROVISION_TIME.getEpochSecond() - 300));
    byte[] body = body(fields);

    ObjectNode json = verifier.verifyBody(List.of(signer.sign(body)), body, ROUTE);

    assertThat(json.get("timestamp").longValue()).isEqualTo(PROVISION_TIME.getEpochSecond() - 300);
  }

  @Test
  void refusesTimestampFurtherInTheFutureThanTheSkew() {
    Map<String, String> fields = fields();
    fields.put("timestamp", Long.toString(PROVISION_TIME.getEpochSecond() + 61));
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.FUTURE_TIMESTAMP);
    assertThat(e.getMessage()).contains("61 s in the future");
  }

  @Test
  void acceptsTimestampAtTheFutureSkew() {
    Map<String, String> fields = fields();
    fields.put("timestamp", Long.toString(PROVISION_TIME.getEpochSecond() + 60));
    byte[] body = body(fields);

    ObjectNode json = verifier.verifyBody(List.of(signer.sign(body)), body, ROUTE);

    assertThat(json.get("timestamp").longValue()).isEqualTo(PROVISION_TIME.getEpochSecond() + 60);
  }

  @Test
  void judgesFreshnessByTheInjectedClock() {
    byte[] body = body(fields());
    clock.advance(Duration.ofSeconds(301));

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.STALE_TIMESTAMP);
  }

  @Test
  void honoursConfiguredMaxAge() {
    SignatureVerifier strict = configured().maxAge(Duration.ofSeconds(10)).build();
    Map<String, String> fields = fields();
    fields.put("timestamp", Long.toString(PROVISION_TIME.getEpochSecond() - 11));
    byte[] body = body(fields);

    SignatureException e =
        refused(() -> strict.verifyBody(List.of(signer.sign(body)), body, ROUTE));

    assertThat(e.reason()).isEqualTo(Reason.STALE_TIMESTAMP);
  }

  @Test
  void acceptsTimestampAsStringOfDigits() {
    Map<String, String> fields = fields();
    fields.put("timestamp", "\"" + PROVISION_TIME.getEpochSecond() + "\"");
    byte[] body = body(fields);

    ObjectNode json = verifier.verifyBody(List.of(signer.sign(body)), body, ROUTE);

    assertThat(json.get("timestamp").textValue()).isEqualTo("1764800000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1764800000000", "\"1764800000000\""})
  void refusesMillisecondTimestampSayingSo(String timestamp) {
    Map<String, String> fields = fields();
    fields.put("timestamp", timestamp);
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
    assertThat(e.getMessage()).contains("milliseconds");
  }

  @Test
  void refusesMillisecondTimestampInQuerySayingSo() {
    String query =
        RequestSigner.query(
            RESOURCE_URL, Instant.ofEpochSecond(PROVISION_TIME.toEpochMilli()), "n-ms");

    SignatureException e = refusedQuery(List.of(signer.sign(query)), query, RESOURCE_ROUTE);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
    assertThat(e.getMessage()).contains("milliseconds");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1764800000",
        "1764800000.5",
        "1.7648E9",
        "\"1764800000s\"",
        "\" 1764800000\"",
        "\"\"",
        "true",
        "[1764800000]",
        "\"\u0661\u0667\u0666\u0664\u0668\u0660\u0660\u0660\u0660\u0660\""
      })
  void refusesTimestampThatIsNotUnixSecondsInDigits(String timestamp) {
    Map<String, String> fields = fields();
    fields.put("timestamp", timestamp);
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
  }

  // --- signed fields ---

  @ParameterizedTest
  @ValueSource(strings = {"timestamp", "nonce", "url"})
  void refusesBodyWithoutSignedField(String field) {
    Map<String, String> fields = fields();
    fields.remove(field);
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
    assertThat(e.getMessage()).contains(field);
  }

  @ParameterizedTest
  @ValueSource(strings = {"timestamp", "nonce", "url"})
  void refusesBodyWithNullSignedField(String field) {
    Map<String, String> fields = fields();
    fields.put(field, "null");
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
    assertThat(e.getMessage()).contains(field);
  }

  @ParameterizedTest
  @ValueSource(strings = {"timestamp", "nonce", "url"})
  void refusesQueryWithoutSignedField(String field) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("nonce", RequestSigner.randomNonce());
    parameters.put("timestamp", Long.toString(PROVISION_TIME.getEpochSecond()));
    parameters.put("url", RESOURCE_URL);
    parameters.remove(field);
    String query = QueryStrings.join(parameters);

    SignatureException e = refusedQuery(List.of(signer.sign(query)), query, RESOURCE_ROUTE);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
    assertThat(e.getMessage()).contains(field);
  }

  @Test
  void refusesEmptyNonce() {
    Map<String, String> fields = fields();
    fields.put("nonce", "\"\"");
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
  }

  @Test
  void refusesOverlongNonce() {
    Map<String, String> fields = fields();
    fields.put("nonce", quote("n".repeat(SignatureVerifier.MAX_NONCE_LENGTH + 1)));
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
  }

  @Test
  void refusesRepeatedQueryParameter() {
    String query = RequestSigner.query(RESOURCE_URL, PROVISION_TIME, "n-1") + "&nonce=n-2";

    SignatureException e = refusedQuery(List.of(signer.sign(query)), query, RESOURCE_ROUTE);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNED_FIELDS);
  }

  // --- replay ---

  @Test
  void refusesReplayedNonce() {
    byte[] body = body(fields());
    List<String> signature = List.of(signer.sign(body));
    verifier.verifyBody(signature, body, ROUTE);

    SignatureException e = refusedBody(signature, body);

    assertThat(e.reason()).isEqualTo(Reason.REPLAYED_NONCE);
  }

  @Test
  void refusesReplayedNonceInQuery() {
    String query = RequestSigner.query(RESOURCE_URL, PROVISION_TIME, "nonce-q");
    List<String> signature = List.of(signer.sign(query));
    verifier.verifyQuery(signature, query, RESOURCE_ROUTE);

    SignatureException e = refusedQuery(signature, query, RESOURCE_ROUTE);

    assertThat(e.reason()).isEqualTo(Reason.REPLAYED_NONCE);
  }

  @Test
  void refusesNonceReplayedAcrossBodyAndQuery() {
    Map<String, String> fields = fields();
    fields.put("nonce", quote("shared-nonce"));
    byte[] body = body(fields);
    verifier.verifyBody(List.of(signer.sign(body)), body, ROUTE);
    String query = RequestSigner.query(RESOURCE_URL, PROVISION_TIME, "shared-nonce");

    SignatureException e = refusedQuery(List.of(signer.sign(query)), query, RESOURCE_ROUTE);

    assertThat(e.reason()).isEqualTo(Reason.REPLAYED_NONCE);
  }

  @Test
  void doesNotSpendTheNonceOfARequestWithABadSignature() {
    byte[] body = body(fields());
    refusedBody(List.of(zeros()), body);

    ObjectNode json = verifier.verifyBody(List.of(signer.sign(body)), body, ROUTE);

    assertThat(json.get("name").textValue()).isEqualTo("kv-prod");
  }

  @Test
  void refusesWhenNonceStoreIsFullOfLiveNonces() {
    SignatureVerifier small = configured().nonceStore(InMemoryNonceStore.create(1, clock)).build();
    byte[] first = body(fields());
    byte[] second = body(fields());
    small.verifyBody(List.of(signer.sign(first)), first, ROUTE);

    SignatureException e =
        refused(() -> small.verifyBody(List.of(signer.sign(second)), second, ROUTE));

    assertThat(e.reason()).isEqualTo(Reason.NONCE_STORE_FULL);
    assertThat(e.reason().status()).isEqualTo(503);
  }

  // --- url ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example.com/flyio/extensions",
        "https://kv.example.com.evil.example/flyio/extensions",
        "https://kv.example.com/other/extensions",
        "https://kv.example.com/flyio/extensions/ext_7hq2m",
        "https://kv.example.com/extensions",
        "http://kv.example.com/flyio/extensions",
        "https://kv.example.com:8443/flyio/extensions",
        "ftp://kv.example.com/flyio/extensions",
        "/flyio/extensions",
        "not a url"
      })
  void refusesSignedUrlOfAnotherPlace(String url) {
    Map<String, String> fields = fields();
    fields.put("url", quote(url));
    byte[] body = body(fields);

    SignatureException e = refusedBody(List.of(signer.sign(body)), body);

    assertThat(e.reason()).isEqualTo(Reason.WRONG_URL);
    assertThat(e.getMessage()).contains(URL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://kv.example.com/flyio/extensions",
        "HTTPS://KV.Example.COM/flyio/extensions",
        "https://kv.example.com:443/flyio/extensions",
        "https://kv.example.com/flyio/extensions/"
      })
  void acceptsEquivalentSpellingsOfThePublicUrl(String url) {
    Map<String, String> fields = fields();
    fields.put("url", quote(url));
    byte[] body = body(fields);

    ObjectNode json = verifier.verifyBody(List.of(signer.sign(body)), body, ROUTE);

    assertThat(json.get("url").textValue()).isEqualTo(url);
  }

  @Test
  void acceptsConfiguredBaseUrlWrittenDifferently() {
    SignatureVerifier other =
        SignatureVerifier.builder()
            .secret(PROVISIONING_SECRET)
            .publicBaseUrl("HTTPS://KV.EXAMPLE.COM:443/flyio/")
            .clock(clock)
            .build();
    byte[] body = body(fields());

    ObjectNode json = other.verifyBody(List.of(signer.sign(body)), body, ROUTE);

    assertThat(json.get("url").textValue()).isEqualTo(URL);
    assertThat(other.publicBaseUrl()).isEqualTo(PUBLIC_BASE_URL);
  }

  @Test
  void acceptsQueryUrlWithItsQueryString() {
    Map<String, String> extra = Map.of("organization_id", "OrgA1b2C3");
    String url = RESOURCE_URL + "?organization_id=OrgA1b2C3";
    String query = RequestSigner.query(url, PROVISION_TIME, "nonce-with-query", extra);

    Map<String, String> parameters =
        verifier.verifyQuery(List.of(signer.sign(query)), query, RESOURCE_ROUTE);

    assertThat(parameters).containsEntry("url", url).containsEntry("organization_id", "OrgA1b2C3");
  }

  @Test
  void acceptsQueryUrlWithoutItsQueryString() {
    Map<String, String> extra = Map.of("organization_id", "OrgA1b2C3");
    String query = RequestSigner.query(RESOURCE_URL, PROVISION_TIME, "nonce-no-query", extra);

    Map<String, String> parameters =
        verifier.verifyQuery(List.of(signer.sign(query)), query, RESOURCE_ROUTE);

    assertThat(parameters).containsEntry("url", RESOURCE_URL);
  }

  @Test
  void refusesQuerySignedForAnotherResource() {
    String query =
        RequestSigner.query(PUBLIC_BASE_URL + "/extensions/ext_other", PROVISION_TIME, "n-o");

    SignatureException e = refusedQuery(List.of(signer.sign(query)), query, RESOURCE_ROUTE);

    assertThat(e.reason()).isEqualTo(Reason.WRONG_URL);
  }

  @Test
  void expectedUrlJoinsBaseAndRoutedPath() {
    String expected = verifier.expectedUrl(RESOURCE_ROUTE);

    assertThat(expected).isEqualTo(RESOURCE_URL);
  }

  // --- machine events ---

  @Test
  void acceptsSignedEventWithoutSignedFields() {
    byte[] body = utf8("{\"id\":\"evt_1\",\"type\":\"io.fly.machine.started\"}");

    ObjectNode json =
        verifier.verifyEventBody(List.of(signer.sign(body)), body, "/extensions/events");

    assertThat(json.get("id").textValue()).isEqualTo("evt_1");
  }

  @Test
  void refusesStaleSignedEvent() {
    byte[] body =
        utf8(
            "{\"id\":\"evt_1\",\"type\":\"t\",\"timestamp\":"
                + (PROVISION_TIME.getEpochSecond() - 400)
                + "}");

    SignatureException e =
        refused(
            () -> verifier.verifyEventBody(List.of(signer.sign(body)), body, "/extensions/events"));

    assertThat(e.reason()).isEqualTo(Reason.STALE_TIMESTAMP);
  }

  @Test
  void refusesReplayedEventNonce() {
    byte[] body =
        utf8(
            "{\"id\":\"evt_1\",\"type\":\"t\",\"nonce\":\"ev-n\",\"timestamp\":"
                + PROVISION_TIME.getEpochSecond()
                + "}");
    List<String> signature = List.of(signer.sign(body));
    verifier.verifyEventBody(signature, body, "/extensions/events");

    SignatureException e =
        refused(() -> verifier.verifyEventBody(signature, body, "/extensions/events"));

    assertThat(e.reason()).isEqualTo(Reason.REPLAYED_NONCE);
  }

  @Test
  void treatsNullEventTimestampAsAbsent() {
    byte[] body =
        utf8("{\"id\":\"evt_1\",\"type\":\"t\",\"nonce\":\"ev-null\",\"timestamp\":null}");

    ObjectNode json =
        verifier.verifyEventBody(List.of(signer.sign(body)), body, "/extensions/events");

    assertThat(json.get("nonce").textValue()).isEqualTo("ev-null");
  }

  // --- configuration ---

  @Test
  void refusesToBuildWithoutSecret() {
    SignatureVerifier.Builder builder = SignatureVerifier.builder().publicBaseUrl(PUBLIC_BASE_URL);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("secret");
  }

  @Test
  void refusesToBuildWithoutPublicBaseUrl() {
    SignatureVerifier.Builder builder = SignatureVerifier.builder().secret(PROVISIONING_SECRET);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("public base URL");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"kv.example.com/flyio", "ftp://kv.example.com", "https://kv.example.com/a?b=c"})
  void refusesUnusablePublicBaseUrl(String baseUrl) {
    SignatureVerifier.Builder builder = SignatureVerifier.builder();

    assertThatThrownBy(() -> builder.publicBaseUrl(baseUrl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(baseUrl);
  }

  @Test
  void refusesBlankSecret() {
    SignatureVerifier.Builder builder = SignatureVerifier.builder();

    assertThatThrownBy(() -> builder.secret("  ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void answersEveryRefusalWith401ExceptAFullNonceStore() {
    List<Reason> unauthorized =
        Arrays.stream(Reason.values()).filter(r -> r.status() == 401).toList();

    assertThat(unauthorized)
        .doesNotContain(Reason.NONCE_STORE_FULL)
        .hasSize(Reason.values().length - 1);
    assertThat(Reason.STALE_TIMESTAMP.troubleshootingUrl()).endsWith("#stale_timestamp");
  }

  // --- helpers ---

  private SignatureException refusedBody(List<String> headers, byte[] body) {
    return refused(() -> verifier.verifyBody(headers, body, ROUTE), headers, signer.sign(body));
  }

  private SignatureException refusedQuery(List<String> headers, String query, String route) {
    return refused(() -> verifier.verifyQuery(headers, query, route), headers, signer.sign(query));
  }

  private SignatureException refused(ThrowingCallable call) {
    return refused(call, List.of());
  }

  /** Runs a call that must be refused, and checks the message leaks no secret or signature. */
  private SignatureException refused(
      ThrowingCallable call, List<String> headers, String... signatures) {
    Throwable thrown = catchThrowable(call);

    assertThat(thrown).isInstanceOf(SignatureException.class);
    String message = thrown.getMessage();
    for (String secret : secrets) {
      assertThat(message).doesNotContain(secret);
    }
    for (String header : headers) {
      if (!header.isBlank()) {
        assertThat(message).doesNotContain(header.strip());
      }
    }
    for (String signature : signatures) {
      assertThat(message).doesNotContain(signature);
    }
    return (SignatureException) thrown;
  }

  private Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", quote("kv-prod"));
    fields.put("id", quote("ext_7hq2m"));
    fields.put("url", quote(URL));
    fields.put("nonce", quote(RequestSigner.randomNonce()));
    fields.put("timestamp", Long.toString(clock.instant().getEpochSecond()));
    return fields;
  }

  /** A JSON object of the given fields, each value already written as JSON. */
  private static byte[] body(Map<String, String> rawFields) {
    String json =
        rawFields.entrySet().stream()
            .map(entry -> quote(entry.getKey()) + ":" + entry.getValue())
            .collect(Collectors.joining(",", "{", "}"));
    return utf8(json);
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private static String zeros() {
    return "0".repeat(64);
  }
}
