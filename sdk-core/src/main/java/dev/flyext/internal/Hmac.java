package dev.flyext.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 keyed with one secret. Thread-safe: each call works on its own {@link Mac}, cloned
 * from a keyed prototype that is never updated.
 */
public final class Hmac {
  public static final int LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final Mac prototype;

  private Hmac(SecretKeySpec key) {
    this.key = key;
    this.prototype = newMac(key);
  }

  /** Keys with the secret's UTF-8 bytes, as Fly does. */
  public static Hmac sha256(String secret) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("secret is empty: give the secret Fly issued");
    }
    return new Hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
  }

  public byte[] compute(byte[] content) {
    return fresh().doFinal(content);
  }

  private Mac fresh() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      return newMac(key);
    }
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
