package dev.flyext;

import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static dev.flyext.Vectors.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds requests the way Fly sends them to the endpoint under test: signed, fresh, unique. */
final class Fly {
  private final RequestSigner signer = RequestSigner.of(PROVISIONING_SECRET);
  private final Clock clock;

  Fly(Clock clock) {
    this.clock = clock;
  }

  String sign(byte[] content) {
    return signer.sign(content);
  }

  /** The vector's provisioning body for {@code flyId}, with a fresh nonce and timestamp. */
  byte[] provisionBody(String flyId) {
    ObjectNode body = ProvisionRequestTest.vector();
    body.put("id", flyId);
    body.put("nonce", RequestSigner.randomNonce());
    body.put("timestamp", clock.instant().getEpochSecond());
    return ProvisionRequestTest.bytes(body);
  }

  ProviderRequest provision(String flyId) {
    return signedBody("POST", "/extensions", provisionBody(flyId));
  }

  /** A PATCH of {@code id} whose body holds {@code fieldsJson} (no braces) plus signed fields. */
  ProviderRequest update(String id, String fieldsJson) {
    String path = "/extensions/" + id;
    String signed =
        "\"url\":\""
            + PUBLIC_BASE_URL
            + path
            + "\",\"nonce\":\""
            + RequestSigner.randomNonce()
            + "\",\"timestamp\":"
            + clock.instant().getEpochSecond();
    String body = "{" + (fieldsJson.isEmpty() ? "" : fieldsJson + ",") + signed + "}";
    return signedBody("PATCH", path, utf8(body));
  }

  ProviderRequest signedBody(String method, String path, byte[] body) {
    return signedBody(method, path, body, Map.of());
  }

  ProviderRequest signedBody(
      String method, String path, byte[] body, Map<String, String> extraHeaders) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json"));
    headers.put(RequestSigner.SIGNATURE_HEADER, List.of(signer.sign(body)));
    extraHeaders.forEach((name, value) -> headers.put(name, List.of(value)));
    return ProviderRequest.builder(method, path).headers(headers).body(body).build();
  }

  ProviderRequest unsignedBody(String method, String path, byte[] body, Map<String, String> extra) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json"));
    extra.forEach((name, value) -> headers.put(name, List.of(value)));
    return ProviderRequest.builder(method, path).headers(headers).body(body).build();
  }

  ProviderRequest signedQuery(String method, String path) {
    return signedQuery(method, path, Map.of());
  }

  ProviderRequest signedQuery(String method, String path, Map<String, String> extra) {
    String query =
        RequestSigner.query(
            PUBLIC_BASE_URL + path, clock.instant(), RequestSigner.randomNonce(), extra);
    return ProviderRequest.builder(method, path)
        .rawQuery(query)
        .headers(Map.of(RequestSigner.SIGNATURE_HEADER, List.of(signer.sign(query))))
        .build();
  }

  static JsonNode json(ProviderResponse response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("answer is not JSON: " + response.bodyText(), e);
    }
  }
}
