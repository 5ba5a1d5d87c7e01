package dev.flyext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The signing test vectors of the protocol notes, section 4, and the values around them. */
final class Vectors {
  static final String PROVISIONING_SECRET = "prov-secret-1";
  static final String WEBHOOK_SECRET = "hook-secret-1";
  static final String PUBLIC_BASE_URL = "https://kv.example.com/flyio";

  static final String FOX_SECRET = "key";
  static final String FOX = "The quick brown fox jumps over the lazy dog";
  static final String FOX_HMAC = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";

  static final String PROVISION_BODY =
      "{\"name\":\"kv-prod\",\"id\":\"ext_7hq2m\",\"organization_id\":\"OrgA1b2C3\","
          + "\"organization_name\":\"Acme Rockets\",\"user_email\":\"u7x9@customer.fly.io\","
          + "\"user_id\":\"Usr4k2P9\",\"user_role\":\"admin\",\"primary_region\":\"ams\","
          + "\"read_regions\":[\"cdg\",\"fra\"],\"ip_address\":\"fdaa:0:1:a7b:1::2\","
          + "\"url\":\"https://kv.example.com/flyio/extensions\","
          + "\"nonce\":\"4f1c9a7e2b3d4c5e6f708192a3b4c5d6\",\"timestamp\":1764800000}";
  static final String PROVISION_HMAC =
      "43d34a3c160fb1b44d03719ad44db6e16e5eebbfbb65cf0fc28b8bca7cfc47a3";
  static final Instant PROVISION_TIME = Instant.ofEpochSecond(1764800000);

  static final String QUERY_URL = "https://kv.example.com/flyio/extensions/ext_7hq2m";
  static final String QUERY_NONCE = "9a8b7c6d5e4f30211203f4e5d6c7b8a9";
  static final Instant QUERY_TIME = Instant.ofEpochSecond(1764800100);
  static final String QUERY =
      "nonce=9a8b7c6d5e4f30211203f4e5d6c7b8a9&timestamp=1764800100"
          + "&url=https%3A%2F%2Fkv.example.com%2Fflyio%2Fextensions%2Fext_7hq2m";
  static final String QUERY_HMAC =
      "57a1b0f78d6464a650375f2c0fcc759b8424675cb4e83bc9c28b4911ace9c148";

  static final String EMPTY_HMAC =
      "ff28188c6ee8ee1960039b71b265123b27b078b519dff731d14c36d3146ede8a";

  static final String WEBHOOK_URL = "https://api.fly.io/api/hooks/extensions/kvstore";
  static final String WEBHOOK_NONCE = "0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f50";
  static final Instant WEBHOOK_TIME = Instant.ofEpochSecond(1764800200);
  static final String WEBHOOK_BODY =
      "{\"timestamp\":\"1764800200\",\"action\":\"resource.updated\","
          + "\"resource\":{\"id\":\"ext_7hq2m\",\"status\":\"ready\",\"plan\":\"starter\"},"
          + "\"nonce\":\"0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f50\","
          + "\"url\":\"https://api.fly.io/api/hooks/extensions/kvstore\"}";
  static final String WEBHOOK_HMAC =
      "bba26950c550dd4b4025da47020c0bd5b91a03b0ace585f59d4b3ca111f26fd3";

  private Vectors() {}

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
