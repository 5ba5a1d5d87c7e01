package dev.flyext.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flyext.FlyApiClient;
import dev.flyext.ProviderEndpoint;
import dev.flyext.ProviderRequest;
import dev.flyext.ProviderResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * A correct provider built with the SDK: {@link ProviderEndpoint} over a {@link MemoryHandler},
 * served at {@code /flyio} by the JDK's HTTP server on 127.0.0.1. (The servlet module cannot be
 * used here: its own tests depend on this module.) Close it when done.
 */
final class SdkProvider implements AutoCloseable {
  static final String SECRET = "prov-secret-testkit-Zq81bX4m";
  static final String MOUNT = "/flyio";

  private final HttpServer server;
  private final ExecutorService executor;
  private final MemoryHandler handler;
  private final String publicBaseUrl;
  private final @Nullable FlyApiClient signInClient;

  private SdkProvider(Builder builder) throws IOException {
    this.handler = new MemoryHandler(builder.billing);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    this.publicBaseUrl = builder.publicBaseUrl != null ? builder.publicBaseUrl : baseUrl();

    ProviderEndpoint.Builder endpoint =
        ProviderEndpoint.builder()
            .handler(handler)
            .provisioningSecret(SECRET)
            .publicBaseUrl(publicBaseUrl);
    if (builder.signIn != null) {
      signInClient =
          FlyApiClient.builder()
              .apiUrl(builder.signIn.url())
              .providerName("kvstore")
              .webhookSecret("stand-in-webhook-secret")
              .oauthClient("stand-in-client", "stand-in-client-secret")
              .redirectUri(publicBaseUrl + ProviderEndpoint.DEFAULT_OAUTH_CALLBACK_PATH)
              .build();
      endpoint.dashboardSignIn(signInClient);
    } else {
      signInClient = null;
    }
    ProviderEndpoint built = endpoint.build();
    server.createContext(MOUNT, exchange -> serve(built, exchange));
    server.start();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Where it answers: {@code http://127.0.0.1:PORT/flyio}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + MOUNT;
  }

  /** The base URL it verifies signed urls against. */
  String publicBaseUrl() {
    return publicBaseUrl;
  }

  MemoryHandler handler() {
    return handler;
  }

  /** A simulator that sends here and signs like Fly with the right secret. */
  FlySimulator simulator() {
    return FlySimulator.builder()
        .baseUrl(baseUrl())
        .publicUrl(publicBaseUrl)
        .secret(SECRET)
        .build();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    if (signInClient != null) {
      signInClient.close();
    }
  }

  private static void serve(ProviderEndpoint endpoint, HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      String rawPath = exchange.getRequestURI().getRawPath();
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      ProviderRequest request =
          ProviderRequest.builder(exchange.getRequestMethod(), rawPath.substring(MOUNT.length()))
              .rawQuery(exchange.getRequestURI().getRawQuery())
              .headers(name -> exchange.getRequestHeaders().getOrDefault(name, List.of()))
              .body(body, length == null ? -1 : Long.parseLong(length))
              .build();

      ProviderResponse response = endpoint.handle(request);

      response
          .headers()
          .forEach((name, values) -> exchange.getResponseHeaders().put(name, List.copyOf(values)));
      byte[] bytes = response.body();
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** What to start; not thread-safe. */
  static final class Builder {
    private @Nullable String publicBaseUrl;
    private boolean billing = true;
    private @Nullable FlyApiStandIn signIn;

    private Builder() {}

    /** The public base URL it verifies against, as behind a proxy; its own URL by default. */
    Builder publicBaseUrl(String publicBaseUrl) {
      this.publicBaseUrl = publicBaseUrl;
      return this;
    }

    /** Answers billing with 501, as the SDK's default handler does. */
    Builder withoutBilling() {
      this.billing = false;
      return this;
    }

    /** Offers dashboard sign-in through Fly's OAuth, played by {@code standIn}. */
    Builder signInWith(FlyApiStandIn standIn) {
      this.signIn = standIn;
      return this;
    }

    SdkProvider start() throws IOException {
      return new SdkProvider(this);
    }
  }
}
