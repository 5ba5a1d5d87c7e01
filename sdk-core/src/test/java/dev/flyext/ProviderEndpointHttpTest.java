package dev.flyext;

import static dev.flyext.Fly.json;
import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Routing, methods, media types and size limits: what is answered before any handler runs. */
class ProviderEndpointHttpTest {
  private final MutableClock clock = MutableClock.at(PROVISION_TIME);
  private final RecordingHandler handler = new RecordingHandler();
  private final Fly fly = new Fly(clock);
  private final ProviderEndpoint endpoint =
      ProviderEndpoint.builder()
          .handler(handler)
          .provisioningSecret(PROVISIONING_SECRET)
          .publicBaseUrl(PUBLIC_BASE_URL)
          .clock(clock)
          .maxBodyBytes(1024)
          .build();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "",
        "/nope",
        "/extensions//",
        "/extensions/ext_1/sso/extra",
        "/extensions/ext_1/other",
        "/extensions/ext%2F1",
        "/extensions/..",
        "/extensions/ext%ZZ"
      })
  void answersUnknownRouteWithJson404(String path) {
    ProviderRequest request = ProviderRequest.builder("GET", path).build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.headers().get("Content-Type").get(0)).startsWith("application/json");
    assertThat(json(response).get("error").textValue()).isNotBlank();
    assertThat(handler.gets).hasValue(0);
  }

  @ParameterizedTest
  @CsvSource({
    "PUT, /extensions, 'POST, OPTIONS'",
    "GET, /extensions, 'POST, OPTIONS'",
    "HEAD, /extensions/ext_1, 'GET, PATCH, DELETE, OPTIONS'",
    "POST, /extensions/ext_1, 'GET, PATCH, DELETE, OPTIONS'",
    "PUT, /extensions/ext_1, 'GET, PATCH, DELETE, OPTIONS'",
    "GET, /extensions/events, 'POST, OPTIONS'",
    "POST, /billing, 'GET, OPTIONS'"
  })
  void answersWrongMethodWith405AndAllow(String method, String path, String allow) {
    ProviderRequest request = ProviderRequest.builder(method, path).build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers().get("Allow")).containsExactly(allow);
    assertThat(json(response).get("error").textValue()).contains(method);
  }

  @Test
  void refusesDeclaredOversizedBodyWithoutReadingIt() {
    CountingInputStream body = new CountingInputStream();
    ProviderRequest request =
        ProviderRequest.builder("POST", "/extensions")
            .headers(Map.of("Content-Type", List.of("application/json")))
            .body(body, 1025)
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(413);
    assertThat(body.bytesRead).isZero();
  }

  @Test
  void refusesUndeclaredOversizedBodyReadingAtMostOneByteOverTheCap() {
    CountingInputStream body = new CountingInputStream();
    ProviderRequest request =
        ProviderRequest.builder("POST", "/extensions")
            .headers(Map.of("Content-Type", List.of("application/json")))
            .body(body, -1)
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(413);
    assertThat(json(response).get("error").textValue()).contains("1024");
    assertThat(body.bytesRead).isLessThanOrEqualTo(1025L);
    assertThat(handler.provisions).hasValue(0);
  }

  @Test
  void acceptsABodyExactlyAtTheCap() {
    byte[] signed = fly.provisionBody("ext_1");
    byte[] padded = Arrays.copyOf(signed, 1024);
    Arrays.fill(padded, signed.length, padded.length, (byte) ' ');

    ProviderResponse response = endpoint.handle(fly.signedBody("POST", "/extensions", padded));

    assertThat(response.status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=iso-8859-1",
        "application/jsonp"
      })
  void refusesNonJsonContentTypeWith415(String contentType) {
    ProviderRequest request =
        ProviderRequest.builder("POST", "/extensions")
            .headers(Map.of("Content-Type", List.of(contentType)))
            .body(fly.provisionBody("ext_1"))
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(415);
    assertThat(json(response).get("error").textValue()).contains("application/json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "Application/JSON",
        "application/json;charset=UTF-8",
        "application/json; charset=\"utf-8\"",
        "application/cloudevents+json"
      })
  void acceptsJsonContentTypes(String contentType) {
    byte[] body = fly.provisionBody("ext_1");
    ProviderRequest request =
        ProviderRequest.builder("POST", "/extensions")
            .headers(
                Map.of(
                    "Content-Type", List.of(contentType),
                    "X-Signature", List.of(fly.sign(body))))
            .body(body)
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void refusesAMalformedSignatureHeaderWith401NotAServerError() {
    byte[] body = fly.provisionBody("ext_1");
    ProviderRequest request =
        ProviderRequest.builder("POST", "/extensions")
            .headers(Map.of("X-Signature", List.of("not-a-signature", "twice")))
            .body(body)
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(401);
    assertThat(json(response).get("reason").textValue()).isEqualTo("malformed_signature");
  }

  @Test
  void marksEveryAnswerUncacheable() {
    ProviderResponse response = endpoint.handle(ProviderRequest.builder("GET", "/nope").build());

    assertThat(response.headers().get("Cache-Control")).containsExactly("no-store");
    assertThat(response.headers().get("X-Content-Type-Options")).containsExactly("nosniff");
  }

  @Test
  void refusesToBuildWithoutHandlerSecretOrBaseUrl() {
    assertThatThrownBy(
            () ->
                ProviderEndpoint.builder()
                    .provisioningSecret(PROVISIONING_SECRET)
                    .publicBaseUrl(PUBLIC_BASE_URL)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handler");
    assertThatThrownBy(
            () ->
                ProviderEndpoint.builder().handler(handler).publicBaseUrl(PUBLIC_BASE_URL).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("secret");
    assertThatThrownBy(
            () -> ProviderEndpoint.builder().handler(handler).provisioningSecret("s").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("public base URL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"billing", "/", "/extensions/billing"})
  void refusesBillingPathThatCannotBeServed(String path) {
    ProviderEndpoint.Builder builder = ProviderEndpoint.builder();

    assertThatThrownBy(() -> builder.billingPath(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(path);
  }

  /** An endless body of spaces that counts what was read from it. */
  private static final class CountingInputStream extends InputStream {
    long bytesRead;

    @Override
    public int read() {
      bytesRead++;
      return ' ';
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      Arrays.fill(buffer, offset, offset + length, (byte) ' ');
      bytesRead += length;
      return length;
    }
  }
}
