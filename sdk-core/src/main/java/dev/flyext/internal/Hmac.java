package dev.flyext.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 keyed with one secret. Thread-safe: each call works on a {@link Mac} of its own,
 * taken from a few idle ones kept for reuse, or cloned from a keyed prototype that is never updated
 * when none is idle. Reuse saves a clone of the digest state per call.
 */
public final class Hmac {
  public static final int LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";

  /** Idle Macs kept for reuse; a power of two. A thread picks its slot by its id. */
  private static final int IDLE_SLOTS = 16;

  private final SecretKeySpec key;
  private final Mac prototype;
  private final AtomicReferenceArray<Mac> idle = new AtomicReferenceArray<>(IDLE_SLOTS);

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
    int slot = (int) Thread.currentThread().getId() & (IDLE_SLOTS - 1);
    Mac mac = idle.getAndSet(slot, null);
    if (mac == null) {
      mac = fresh();
    }
    // doFinal leaves the Mac reset, ready for the next call; a Mac that threw is not kept.
    byte[] result = mac.doFinal(content);
    idle.compareAndSet(slot, null, mac);
    return result;
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
