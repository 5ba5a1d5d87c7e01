package dev.flyext.servlet;

import dev.flyext.ProviderEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.function.IntFunction;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * A real Jetty 12 on 127.0.0.1 with {@link FlyExtensionServlet} mounted at a given context path and
 * servlet mapping, over a {@link RecordingHandler}, a known secret and a stopped clock. Start it
 * through {@link JettyProviders}, which stops it and checks its answers for leaks.
 */
final class JettyProvider implements AutoCloseable {
  static final String SECRET = "prov-secret-servlet-3f9Kq7Zx";

  private final Server server;
  private final String secret;
  private final int port;
  private final String mountPath;
  private final String publicBaseUrl;
  private final MutableClock clock;
  private final RecordingHandler handler;
  private final LeakWatch watch;
  private final FlyClient fly;

  private JettyProvider(Builder builder, LeakWatch watch) throws Exception {
    this.watch = watch;
    this.secret = builder.secret;
    this.clock = new MutableClock(builder.now);
    this.handler = builder.handler;
    this.mountPath = builder.contextPath + prefixOf(builder.servletMapping);

    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    connector.open();
    port = connector.getLocalPort();
    publicBaseUrl = builder.publicBaseUrl.apply(port);

    ProviderEndpoint.Builder endpoint =
        ProviderEndpoint.builder()
            .handler(handler)
            .provisioningSecret(secret)
            .publicBaseUrl(publicBaseUrl)
            .clock(clock);
    if (builder.maxBodyBytes != null) {
      endpoint.maxBodyBytes(builder.maxBodyBytes);
    }
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(builder.contextPath.isEmpty() ? "/" : builder.contextPath);
    context.addServlet(
        new ServletHolder(new FlyExtensionServlet(endpoint.build())), builder.servletMapping);
    server.setHandler(context);
    server.start();

    watch.secret(secret);
    fly = new FlyClient(this, watch);
  }

  /** Starts describing a server whose servlet is mapped at {@code servletMapping}. */
  static Builder mountedAt(String contextPath, String servletMapping) {
    return new Builder(contextPath, servletMapping);
  }

  /** The usual mount: {@code /flyio/*} at the root context, public URL as the container sees it. */
  static Builder atFlyio() {
    return mountedAt("", "/flyio/*").publicBaseUrl(port -> "http://127.0.0.1:" + port + "/flyio");
  }

  /** The provisioning secret the endpoint verifies with. */
  String secret() {
    return secret;
  }

  int port() {
    return port;
  }

  String publicBaseUrl() {
    return publicBaseUrl;
  }

  /** The URL Fly signs for a path below the base, such as {@code /extensions}. */
  String publicUrl(String routedPath) {
    return publicBaseUrl + routedPath;
  }

  /** The path the container serves {@code routedPath} at: context path, mount, then the path. */
  String containerPath(String routedPath) {
    return mountPath + routedPath;
  }

  /** The container's own URL for a path below the mount; behind a proxy Fly never signs this. */
  String containerUrl(String routedPath) {
    return "http://127.0.0.1:" + port + containerPath(routedPath);
  }

  URI uri(String target) {
    return URI.create("http://127.0.0.1:" + port + target);
  }

  MutableClock clock() {
    return clock;
  }

  RecordingHandler handler() {
    return handler;
  }

  FlyClient fly() {
    return fly;
  }

  /** Sends exact bytes over a socket: {@code target} is the request target, as written. */
  Reply raw(String method, String target, byte[] body, String... headers) {
    try {
      Reply reply = RawHttp.exchange(port, RawHttp.head(method, target, port, headers), body);
      watch.replied(reply);
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  private static String prefixOf(String servletMapping) {
    if (servletMapping.equals("/") || servletMapping.equals("/*")) {
      return "";
    }
    if (servletMapping.endsWith("/*")) {
      return servletMapping.substring(0, servletMapping.length() - 2);
    }
    throw new IllegalArgumentException("use a prefix mapping or /, not " + servletMapping);
  }

  /** What to start; not thread-safe. */
  static final class Builder {
    private final String contextPath;
    private final String servletMapping;
    private IntFunction<String> publicBaseUrl;
    private @Nullable Integer maxBodyBytes;
    private Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    private RecordingHandler handler = new RecordingHandler();
    private String secret = SECRET;

    private Builder(String contextPath, String servletMapping) {
      this.contextPath = Objects.requireNonNull(contextPath);
      this.servletMapping = Objects.requireNonNull(servletMapping);
      this.publicBaseUrl =
          port -> "http://127.0.0.1:" + port + contextPath + prefixOf(servletMapping);
    }

    /** The public base URL, from the port Jetty was given. */
    Builder publicBaseUrl(IntFunction<String> publicBaseUrl) {
      this.publicBaseUrl = publicBaseUrl;
      return this;
    }

    /** A public base URL that is not the container's, as behind Fly's proxy. */
    Builder publicBaseUrl(String publicBaseUrl) {
      return publicBaseUrl(port -> publicBaseUrl);
    }

    Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Where the server's clock stands still; the current second by default. */
    Builder clockAt(Instant now) {
      this.now = now;
      return this;
    }

    Builder secret(String secret) {
      this.secret = secret;
      return this;
    }

    Builder handler(RecordingHandler handler) {
      this.handler = handler;
      return this;
    }

    JettyProvider start(LeakWatch watch) {
      try {
        return new JettyProvider(this, watch);
      } catch (Exception e) {
        throw new IllegalStateException("Jetty did not start", e);
      }
    }
  }
}
