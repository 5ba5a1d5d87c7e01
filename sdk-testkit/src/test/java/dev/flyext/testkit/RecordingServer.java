package dev.flyext.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Records every request exactly as it arrived on 127.0.0.1 and answers each with the same
 * configurable reply, for asserting what a {@link FlySimulator} really sent. Close it when done.
 */
final class RecordingServer implements AutoCloseable {
  /** One request as received. */
  record Received(
      String method,
      String rawPath,
      @Nullable String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {

    @Nullable String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> headers(String name) {
      return headers.getOrDefault(name, List.of());
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private volatile int status = 200;
  private volatile String contentType = "application/json";
  private volatile byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
  private volatile @Nullable String location;

  RecordingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values));
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    headers,
                    in.readAllBytes()));
            byte[] answer = body;
            exchange.getResponseHeaders().add("Content-Type", contentType);
            if (location != null) {
              exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer);
            }
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every later request is answered with this. */
  void answer(int status, String contentType, String body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body.getBytes(StandardCharsets.UTF_8);
  }

  void redirectTo(String location) {
    this.status = 302;
    this.location = location;
    this.body = new byte[0];
  }

  /** The next request received, waiting up to five seconds. */
  Received take() throws InterruptedException {
    Received next = received.poll(5, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("no request arrived within 5 s");
    }
    return next;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
