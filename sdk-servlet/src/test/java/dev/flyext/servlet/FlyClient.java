package dev.flyext.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.RequestSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Calls a {@link ProviderServer} the way Fly does: JSON bodies and query strings carrying {@code
 * nonce}, {@code timestamp} and {@code url}, signed with the provisioning secret, over a real HTTP
 * client. Every answer is handed to the server's {@link LeakWatch}.
 */
final class FlyClient {
  static final String JSON = "application/json";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ProviderServer server;
  private final LeakWatch watch;
  private final RequestSigner signer;

  FlyClient(ProviderServer server, LeakWatch watch) {
    this(server, watch, RequestSigner.of(server.secret()));
  }

  private FlyClient(ProviderServer server, LeakWatch watch, RequestSigner signer) {
    this.server = server;
    this.watch = watch;
    this.signer = signer;
  }

  /** The same client signing with another secret. */
  FlyClient signingWith(String secret) {
    return new FlyClient(server, watch, RequestSigner.of(secret));
  }

  /** Every field Fly sends on provisioning except the signed three. */
  static ObjectNode provisionFields(String flyId) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("name", "kv-" + flyId);
    body.put("id", flyId);
    body.put("organization_id", "OrgA1b2C3");
    body.put("organization_name", "Acme Rockets");
    body.put("user_id", "Usr4k2P9");
    body.put("user_email", "u7x9@customer.fly.io");
    body.put("user_role", "admin");
    body.put("primary_region", "ams");
    body.putArray("read_regions").add("cdg").add("fra");
    return body;
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Adds {@code url}, {@code nonce} and {@code timestamp} for {@code routedPath} if absent. */
  ObjectNode stamp(ObjectNode body, String routedPath) {
    ObjectNode stamped = body.deepCopy();
    if (!stamped.has("url")) {
      stamped.put("url", server.publicUrl(routedPath));
    }
    if (!stamped.has("nonce")) {
      stamped.put("nonce", RequestSigner.randomNonce());
    }
    if (!stamped.has("timestamp")) {
      stamped.put("timestamp", server.clock().instant().getEpochSecond());
    }
    return stamped;
  }

  static byte[] bytes(ObjectNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A signed query string for {@code routedPath}, with {@code extra} parameters after the three.
   */
  String signedQuery(String routedPath, Map<String, String> extra) {
    return RequestSigner.query(
        server.publicUrl(routedPath), server.clock().instant(), RequestSigner.randomNonce(), extra);
  }

  String sign(byte[] content) {
    String signature = signer.sign(content);
    watch.signatureSent(signature);
    return signature;
  }

  Reply provision(String flyId) {
    return post("/extensions", provisionFields(flyId));
  }

  Reply post(String routedPath, ObjectNode body) {
    return request("POST", routedPath).json(bytes(stamp(body, routedPath))).signed().send();
  }

  Reply patch(String routedPath, ObjectNode body) {
    return request("PATCH", routedPath).json(bytes(stamp(body, routedPath))).signed().send();
  }

  Reply get(String routedPath) {
    return get(routedPath, Map.of());
  }

  Reply get(String routedPath, Map<String, String> extra) {
    return request("GET", routedPath).query(signedQuery(routedPath, extra)).signed().send();
  }

  Reply delete(String routedPath) {
    return request("DELETE", routedPath).query(signedQuery(routedPath, Map.of())).signed().send();
  }

  /** Starts a request to {@code routedPath} below the mount, to be shaped by the caller. */
  Call request(String method, String routedPath) {
    return new Call(method, routedPath);
  }

  /** One request being shaped; {@link #send()} sends it. */
  final class Call {
    private final String method;
    private final String routedPath;
    private @Nullable String rawQuery;
    private byte @Nullable [] body;
    private boolean chunked;
    private final List<String[]> headers = new ArrayList<>();

    private Call(String method, String routedPath) {
      this.method = method;
      this.routedPath = routedPath;
    }

    Call query(String rawQuery) {
      this.rawQuery = rawQuery;
      return this;
    }

    /** A body sent with {@code Content-Type: application/json} and no charset. */
    Call json(byte[] body) {
      return body(body).header("Content-Type", JSON);
    }

    Call body(byte[] body) {
      this.body = body.clone();
      return this;
    }

    /** Sends the body without a length, as chunks. */
    Call chunked() {
      this.chunked = true;
      return this;
    }

    Call header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    /** Adds {@code X-Signature} over the body, or over the raw query when there is no body. */
    Call signed() {
      byte[] content =
          body != null ? body : (rawQuery == null ? "" : rawQuery).getBytes(StandardCharsets.UTF_8);
      return header(RequestSigner.SIGNATURE_HEADER, sign(content));
    }

    Reply send() {
      String target = server.containerPath(routedPath) + (rawQuery == null ? "" : "?" + rawQuery);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(server.uri(target))
              .timeout(Duration.ofSeconds(10))
              .method(method, publisher());
      for (String[] header : headers) {
        request.header(header[0], header[1]);
      }
      HttpResponse<byte[]> response;
      try {
        response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      Reply reply = new Reply(response.statusCode(), response.headers().map(), response.body());
      watch.replied(reply);
      return reply;
    }

    private HttpRequest.BodyPublisher publisher() {
      byte[] content = body;
      if (content == null) {
        return HttpRequest.BodyPublishers.noBody();
      }
      if (chunked) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content));
      }
      return HttpRequest.BodyPublishers.ofByteArray(content);
    }
  }
}
