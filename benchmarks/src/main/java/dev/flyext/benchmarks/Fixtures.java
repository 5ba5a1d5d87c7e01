package dev.flyext.benchmarks;

import dev.flyext.ProvisionResult;
import dev.flyext.RequestSigner;
import dev.flyext.Resource;
import dev.flyext.ResourceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** The secrets, URLs and messages every benchmark shares, so each side sends the same bytes. */
final class Fixtures {
  static final String PROVISIONING_SECRET = "prov-secret-1";
  static final String WEBHOOK_SECRET = "hook-secret-1";
  static final String PUBLIC_BASE_URL = "https://kv.example.com/flyio";
  static final String EXTENSION_ID = "ext_7hq2m";
  static final String PROVIDER_NAME = "kvstore";

  /** What the benchmark handler answers to a GET, and what the bare servlet sends as it is. */
  static final Resource RESOURCE =
      Resource.builder(EXTENSION_ID, ResourceStatus.READY)
          .name("kv-prod")
          .plan("starter")
          .primaryRegion("ams")
          .readRegions(java.util.List.of("cdg", "fra"))
          .config("KV_URL", "redis://kv-prod.flycast:6379")
          .build();

  /** What the benchmark handler answers to a provision; independent of the request's id. */
  static final ProvisionResult PROVISION_RESULT =
      ProvisionResult.builder("kv_1")
          .config("KV_URL", "redis://kv-prod.flycast:6379")
          .config("KV_PASSWORD", "s3cr3t-for-the-benchmark")
          .name("kv-prod")
          .build();

  private Fixtures() {}

  /** A provisioning body as Fly sends it, compact, with a fresh id and nonce. */
  static byte[] provisionBody(String id, String nonce, Instant timestamp) {
    return provisionJson(id, nonce, timestamp, "").getBytes(StandardCharsets.UTF_8);
  }

  /** A provisioning body with a small provider-specific {@code options} object. */
  static byte[] provisionBodyWithOptions(String nonce, Instant timestamp) {
    return provisionJson(
            EXTENSION_ID, nonce, timestamp, "\"options\":{\"plan\":\"starter\",\"replicas\":2},")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A provisioning body of exactly {@code size} bytes: the fields Fly sends and an {@code options}
   * object whose {@code notes} string pads it.
   */
  static byte[] provisionBodyOfSize(int size, String nonce, Instant timestamp) {
    String empty = provisionJson(EXTENSION_ID, nonce, timestamp, "\"options\":{\"notes\":\"\"},");
    int padding = size - empty.getBytes(StandardCharsets.UTF_8).length;
    if (padding < 0) {
      throw new IllegalArgumentException("a provisioning body needs more than " + size + " bytes");
    }
    String notes = "x".repeat(padding);
    String json =
        provisionJson(EXTENSION_ID, nonce, timestamp, "\"options\":{\"notes\":\"" + notes + "\"},");
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String provisionJson(String id, String nonce, Instant timestamp, String extra) {
    return "{\"name\":\"kv-prod\",\"id\":\""
        + id
        + "\",\"organization_id\":\"OrgA1b2C3\",\"organization_name\":\"Acme Rockets\","
        + "\"user_email\":\"u7x9@customer.fly.io\",\"user_id\":\"Usr4k2P9\",\"user_role\":\"admin\","
        + "\"primary_region\":\"ams\",\"read_regions\":[\"cdg\",\"fra\"],"
        + "\"ip_address\":\"fdaa:0:1:a7b:1::2\","
        + extra
        + "\"url\":\""
        + PUBLIC_BASE_URL
        + "/extensions\",\"nonce\":\""
        + nonce
        + "\",\"timestamp\":"
        + timestamp.getEpochSecond()
        + "}";
  }

  /** The raw query of a signed {@code GET /extensions/{id}}. */
  static String resourceQuery(String nonce, Instant timestamp) {
    return RequestSigner.query(PUBLIC_BASE_URL + "/extensions/" + EXTENSION_ID, timestamp, nonce);
  }

  /** 32 hex characters, like Fly's nonces, from a fast generator: uniqueness is all that counts. */
  static String nonce() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return hex(random.nextLong()) + hex(random.nextLong());
  }

  private static String hex(long value) {
    String digits = Long.toHexString(value);
    return "0".repeat(16 - digits.length()) + digits;
  }
}
