package dev.flyext.servlet;

import dev.flyext.ProviderEndpoint;
import dev.flyext.RequestOutcome;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A real servlet container on 127.0.0.1 with {@link FlyExtensionServlet} mounted at a given context
 * path and servlet mapping, over a {@link RecordingHandler}, a known secret and a stopped clock.
 * Start it through {@link ProviderServers}, which stops it and checks its answers for leaks.
 */
final class ProviderServer implements AutoCloseable {
  static final String SECRET = "prov-secret-servlet-3f9Kq7Zx";

  private final Container container;
  private final Container.Running running;
  private final String secret;
  private final int port;
  private final String mountPath;
  private final String publicBaseUrl;
  private final MutableClock clock;
  private final RecordingHandler handler;
  private final LeakWatch watch;
  private final FlyClient fly;
  private final List<RequestOutcome> outcomes = new CopyOnWriteArrayList<>();

  private ProviderServer(Container container, Builder builder, LeakWatch watch) throws Exception {
    this.container = container;
    this.watch = watch;
    this.secret = builder.secret;
    this.clock = new MutableClock(builder.now);
    this.handler = builder.handler;

    Container.Deployment deployment =
        new Container.Deployment(
            builder.contextPath,
            builder.servletMapping,
            port -> servlet(builder, builder.publicBaseUrl.apply(port)),
            builder.refusals,
            builder.filter,
            builder.lenientPaths);
    this.mountPath = builder.contextPath + deployment.mountPrefix();
    this.running = container.start(deployment);
    this.port = running.port();
    this.publicBaseUrl = builder.publicBaseUrl.apply(port);

    watch.secret(secret);
    fly = new FlyClient(this, watch);
  }

  private FlyExtensionServlet servlet(Builder builder, String publicBaseUrl) {
    ProviderEndpoint.Builder endpoint =
        ProviderEndpoint.builder()
            .handler(handler)
            .provisioningSecret(secret)
            .publicBaseUrl(publicBaseUrl)
            .clock(clock)
            .requestListener(outcomes::add);
    if (builder.maxBodyBytes != null) {
      endpoint.maxBodyBytes(builder.maxBodyBytes);
    }
    return new FlyExtensionServlet(endpoint.build());
  }

  /** Starts describing a server whose servlet is mapped at {@code servletMapping}. */
  static Builder mountedAt(String contextPath, String servletMapping) {
    return new Builder(contextPath, servletMapping);
  }

  /** The usual mount: {@code /flyio/*} at the root context, public URL as the container sees it. */
  static Builder atFlyio() {
    return mountedAt("", "/flyio/*").publicBaseUrl(port -> "http://127.0.0.1:" + port + "/flyio");
  }

  Container container() {
    return container;
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

  /** What the endpoint recorded of each request it routed, in order. */
  List<RequestOutcome> outcomes() {
    return List.copyOf(outcomes);
  }

  /** Sends exact bytes over a socket: {@code target} is the request target, as written. */
  Reply raw(String method, String target, byte[] body, String... headers) {
    return rawHead(RawHttp.head(method, target, port, headers), body);
  }

  /** Sends {@code head} exactly as given (request line and headers, no blank line) and a body. */
  Reply rawHead(String head, byte[] body) {
    try {
      Reply reply = RawHttp.exchange(port, head, body);
      watch.replied(reply);
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    running.close();
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
    private Container.Refusals refusals = Container.Refusals.CONTAINER_PAGES;
    private @Nullable Filter filter;
    private boolean lenientPaths;

    private Builder(String contextPath, String servletMapping) {
      this.contextPath = Objects.requireNonNull(contextPath);
      this.servletMapping = Objects.requireNonNull(servletMapping);
      String mountPrefix = Container.mountPrefix(servletMapping);
      this.publicBaseUrl = port -> "http://127.0.0.1:" + port + contextPath + mountPrefix;
    }

    /** The public base URL, from the port the container was given. */
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

    /** How the container's own refusals are answered; its own pages by default. */
    Builder refusals(Container.Refusals refusals) {
      this.refusals = refusals;
      return this;
    }

    /** A filter in front of everything in the context, as a provider's own security may add. */
    Builder filter(Filter filter) {
      this.filter = filter;
      return this;
    }

    /** Has the container let odd paths through to the servlet, as a relaxed setup would. */
    Builder lenientPaths() {
      this.lenientPaths = true;
      return this;
    }

    ProviderServer start(Container container, LeakWatch watch) {
      try {
        return new ProviderServer(container, this, watch);
      } catch (Exception e) {
        throw new IllegalStateException(container + " did not start", e);
      }
    }
  }
}
