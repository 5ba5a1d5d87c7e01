package dev.flyext.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flyext.ProtocolException;
import dev.flyext.ProvisionRequest;
import dev.flyext.RequestSigner;
import dev.flyext.SignatureException;
import dev.flyext.SignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A provider written by hand, without the SDK's endpoint, as a team in another language would: the
 * JDK's HTTP server on 127.0.0.1, routes at {@code /flyio}, {@link SignatureVerifier} for the
 * checks. With {@link Flaw#NONE} it is correct (it offers no billing, events only when signed, no
 * sign-in); each other flaw breaks one rule of the contract on purpose. Close it when done.
 */
final class FlawedProvider implements AutoCloseable {
  static final String SECRET = "prov-secret-flawed-8Hn2Lp0w";
  static final String MOUNT = "/flyio";

  /** The one rule this provider breaks. */
  enum Flaw {
    /** Breaks nothing. */
    NONE,
    /** Never checks X-Signature, the timestamp, the nonce or the url. */
    NEVER_VERIFIES,
    /** Answers {@code "KV_PORT": 6379} inside {@code config}. */
    NUMBER_IN_CONFIG,
    /** Provisions again for a repeated Fly id, with a new token. */
    PROVISIONS_TWICE,
    /** Answers every error as an HTML page. */
    HTML_ERRORS
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Flaw flaw;
  private final HttpServer server;
  private final ExecutorService executor;
  private final SignatureVerifier verifier;
  private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();

  private FlawedProvider(Flaw flaw) throws IOException {
    this.flaw = flaw;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    this.verifier = SignatureVerifier.builder().secret(SECRET).publicBaseUrl(baseUrl()).build();
    server.createContext(MOUNT, this::serve);
    server.start();
  }

  static FlawedProvider start(Flaw flaw) throws IOException {
    return new FlawedProvider(flaw);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + MOUNT;
  }

  FlySimulator simulator() {
    return FlySimulator.builder().baseUrl(baseUrl()).secret(SECRET).build();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(1 << 20);
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath().substring(MOUNT.length());
      String query = exchange.getRequestURI().getRawQuery();
      List<String> signatures =
          exchange.getRequestHeaders().getOrDefault(RequestSigner.SIGNATURE_HEADER, List.of());
      try {
        route(exchange, method, path, query, signatures, body);
      } catch (SignatureException e) {
        error(exchange, 401, e.getMessage());
      } catch (ProtocolException e) {
        error(exchange, 400, e.getMessage());
      }
    }
  }

  private void route(
      HttpExchange exchange,
      String method,
      String path,
      String query,
      List<String> signatures,
      byte[] body)
      throws IOException {
    if (path.equals("/extensions") && method.equals("POST")) {
      provision(exchange, path, signatures, body);
    } else if (path.equals("/extensions/events") && method.equals("POST")) {
      if (flaw != Flaw.NEVER_VERIFIES) {
        checkHmac(signatures, body);
      }
      json(exchange, 200, JSON.createObjectNode().put("ok", true));
    } else if (path.startsWith("/extensions/") && path.indexOf('/', 12) < 0) {
      resource(exchange, method, path, query, signatures, body);
    } else {
      error(exchange, 404, "no such route");
    }
  }

  private void provision(HttpExchange exchange, String path, List<String> signatures, byte[] body)
      throws IOException {
    if (flaw != Flaw.NEVER_VERIFIES) {
      verifier.verifyBody(signatures, body, path);
    }
    ProvisionRequest request = ProvisionRequest.parse(body);

    // rule: a repeated provision gives back the first answer
    byte[] earlier = answers.get(request.id());
    if (earlier != null && flaw != Flaw.PROVISIONS_TWICE) {
      raw(exchange, 200, earlier);
      return;
    }
    ObjectNode answer = JSON.createObjectNode().put("id", request.id());
    ObjectNode config = answer.putObject("config");
    config.put("KV_URL", "https://kv.example.test/db/" + request.id());
    config.put("KV_TOKEN", "kvt_" + UUID.randomUUID());
    if (flaw == Flaw.NUMBER_IN_CONFIG) {
      config.put("KV_PORT", 6379);
    }
    byte[] bytes = JSON.writeValueAsBytes(answer);
    answers.put(request.id(), bytes);
    names.put(request.id(), request.name());
    raw(exchange, 200, bytes);
  }

  private void resource(
      HttpExchange exchange,
      String method,
      String path,
      String query,
      List<String> signatures,
      byte[] body)
      throws IOException {
    String id = path.substring("/extensions/".length());
    if (method.equals("PATCH")) {
      ObjectNode fields =
          flaw == Flaw.NEVER_VERIFIES
              ? (ObjectNode) JSON.readTree(body)
              : verifier.verifyBody(signatures, body, path);
      if (!names.containsKey(id) || deleted.contains(id)) {
        error(exchange, 404, "no extension " + id);
        return;
      }
      if (fields.path("name").isTextual()) {
        names.put(id, fields.get("name").textValue());
      }
      json(exchange, 200, resourceJson(id));
      return;
    }
    if (!method.equals("GET") && !method.equals("DELETE")) {
      error(exchange, 405, method + " is not allowed here");
      return;
    }
    if (flaw != Flaw.NEVER_VERIFIES) {
      verifier.verifyQuery(signatures, query, path);
    }
    if (method.equals("DELETE")) {
      deleted.add(id);
      json(exchange, 200, JSON.createObjectNode().put("id", id).put("deleted", true));
    } else if (!names.containsKey(id) || deleted.contains(id)) {
      error(exchange, 404, "no extension " + id);
    } else {
      json(exchange, 200, resourceJson(id));
    }
  }

  private ObjectNode resourceJson(String id) {
    return JSON.createObjectNode().put("id", id).put("name", names.get(id)).put("status", "ready");
  }

  private static void checkHmac(List<String> signatures, byte[] body) {
    String expected = RequestSigner.of(SECRET).sign(body);
    boolean valid =
        signatures.size() == 1
            && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                signatures
                    .get(0)
                    .toLowerCase(java.util.Locale.ROOT)
                    .getBytes(StandardCharsets.US_ASCII));
    if (!valid) {
      throw new SignatureException(
          SignatureException.Reason.SIGNATURE_MISMATCH, "X-Signature does not match the event");
    }
  }

  private void error(HttpExchange exchange, int status, String message) throws IOException {
    if (flaw == Flaw.HTML_ERRORS) {
      byte[] html =
          ("<!DOCTYPE html><html><body><h1>Error "
                  + status
                  + "</h1><p>"
                  + message
                  + "</p></body>"
                  + "</html>")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      send(exchange, status, html);
      return;
    }
    json(exchange, status, JSON.createObjectNode().put("error", message));
  }

  private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    raw(exchange, status, JSON.writeValueAsBytes(body));
  }

  private static void raw(HttpExchange exchange, int status, byte[] json) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    send(exchange, status, json);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
