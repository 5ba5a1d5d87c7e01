package dev.flyext.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.stripe.exception.SignatureVerificationException;
import dev.flyext.NonceStore;
import dev.flyext.RequestSigner;
import dev.flyext.SignatureChecks;
import dev.flyext.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Verifying one signed body: the SDK's HMAC step and its whole body verification, against a bare
 * {@link Mac} over the same bytes and against the verification of stripe-java and of the Standard
 * Webhooks library. Each library checks its own header format over the same payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VerifyBenchmark {
  private static final String STRIPE_SECRET = "whsec_" + Fixtures.PROVISIONING_SECRET;

  @Param({"1024", "16384"})
  int size;

  private byte[] body;
  private List<String> signatureHeader;
  private SignatureVerifier signatureOnly;
  private SignatureVerifier wholeBody;
  private Mac mac;
  private byte[] expectedMac;
  private String payload;
  private String stripeHeader;
  private Webhook standardWebhook;
  private Map<String, List<String>> standardHeaders;

  @Setup
  public void setUp() throws GeneralSecurityException, WebhookSigningException {
    Instant now = Instant.now();
    body = Fixtures.provisionBodyOfSize(size, Fixtures.nonce(), now);
    payload = new String(body, StandardCharsets.UTF_8);
    signatureHeader = List.of(RequestSigner.of(Fixtures.PROVISIONING_SECRET).sign(body));

    signatureOnly =
        SignatureVerifier.builder()
            .secret(Fixtures.PROVISIONING_SECRET)
            .publicBaseUrl(Fixtures.PUBLIC_BASE_URL)
            .build();
    // The nonce store is measured on its own; here every nonce is new and the clock stands still.
    NonceStore everyNonceIsNew = (nonce, expiresAt) -> NonceStore.Outcome.ACCEPTED;
    wholeBody =
        SignatureVerifier.builder()
            .secret(Fixtures.PROVISIONING_SECRET)
            .publicBaseUrl(Fixtures.PUBLIC_BASE_URL)
            .clock(Clock.fixed(now, ZoneOffset.UTC))
            .nonceStore(everyNonceIsNew)
            .build();

    mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Fixtures.PROVISIONING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    expectedMac = HexFormat.of().parseHex(signatureHeader.get(0));

    long seconds = now.getEpochSecond();
    String stripeSignature = RequestSigner.of(STRIPE_SECRET).sign(seconds + "." + payload);
    stripeHeader = "t=" + seconds + ",v1=" + stripeSignature;

    byte[] key = Fixtures.PROVISIONING_SECRET.getBytes(StandardCharsets.UTF_8);
    standardWebhook = new Webhook("whsec_" + Base64.getEncoder().encodeToString(key));
    String messageId = "msg_" + Fixtures.nonce();
    standardHeaders =
        Map.of(
            "webhook-id", List.of(messageId),
            "webhook-timestamp", List.of(Long.toString(seconds)),
            "webhook-signature", List.of(standardWebhook.sign(messageId, seconds, payload)));

    // Each side must accept its input, or the benchmark measures a refusal.
    sdkSignature();
    sdkWholeBody();
    if (!rawMac()) {
      throw new IllegalStateException("the bare Mac does not match the SDK's signature");
    }
    try {
      stripe();
      standardWebhooks();
    } catch (SignatureVerificationException | WebhookVerificationException e) {
      throw new IllegalStateException("a peer library refused its own signature", e);
    }
  }

  /** Decode the header, HMAC the body under every configured secret, compare in constant time. */
  @Benchmark
  public byte[] sdkSignature() {
    SignatureChecks.verifySignature(signatureOnly, signatureHeader, body);
    return body;
  }

  /** The above, then parse the body and check its timestamp, url and nonce. */
  @Benchmark
  public ObjectNode sdkWholeBody() {
    return wholeBody.verifyBody(signatureHeader, body, "/extensions");
  }

  /** The floor: one HMAC over the bytes with a reused, keyed Mac, and a constant-time compare. */
  @Benchmark
  public boolean rawMac() {
    return MessageDigest.isEqual(mac.doFinal(body), expectedMac);
  }

  /** stripe-java: parse its header, HMAC {@code t.payload}, compare, check the tolerance. */
  @Benchmark
  public boolean stripe() throws SignatureVerificationException {
    return com.stripe.net.Webhook.Signature.verifyHeader(
        payload, stripeHeader, STRIPE_SECRET, 3600);
  }

  /** Standard Webhooks: check the timestamp, HMAC {@code id.t.payload}, compare base64. */
  @Benchmark
  public Map<String, List<String>> standardWebhooks() throws WebhookVerificationException {
    standardWebhook.verify(payload, standardHeaders);
    return standardHeaders;
  }
}
