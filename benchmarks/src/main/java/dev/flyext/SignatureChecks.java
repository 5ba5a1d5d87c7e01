package dev.flyext;

import java.util.List;

/**
 * Reaches the verifier's HMAC step alone, for the benchmarks that compare it with a bare {@code
 * Mac} and with other libraries' verification, none of which parse a body. It lives in the SDK's
 * package inside the benchmarks module, so it works on the class path only; it is not API.
 */
public final class SignatureChecks {
  private SignatureChecks() {}

  /** {@link SignatureVerifier#verifySignature}: decode the header, HMAC under every secret. */
  public static void verifySignature(
      SignatureVerifier verifier, List<String> signatureHeaders, byte[] content) {
    verifier.verifySignature(signatureHeaders, content);
  }
}
