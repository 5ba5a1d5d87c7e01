package dev.flyext.examples;

import dev.flyext.ProviderEndpoint;
import dev.flyext.servlet.FlyExtensionServlet;
import java.io.IOException;
import java.lang.System.Logger.Level;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 answering Fly's calls at {@code /flyio/*} through {@link FlyExtensionServlet},
 * and serving the extension's dashboard page at {@code /dashboard/*}, outside what Fly signs.
 *
 * <p>It starts in two steps, {@link #bind} then {@link #start}, so that a caller binding port 0
 * learns the port before it builds the endpoint, whose public URL includes it. Not thread-safe,
 * except {@link #close()}, which stops the server and may be called from a shutdown hook.
 */
final class ExampleServer implements AutoCloseable {
  /** Where the servlet is mounted; the public URL ends with it. */
  static final String MOUNT = "/flyio";

  /** Where the dashboard pages are served, one per extension: {@code /dashboard/{id}}. */
  static final String DASHBOARD = "/dashboard";

  private static final System.Logger LOG = System.getLogger("dev.flyext.examples");

  private final Server server;
  private final ServerConnector connector;
  private boolean closed;

  private ExampleServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Listens on {@code host} and {@code port} (0 for any free port) but answers nothing until {@link
   * #start}.
   *
   * @throws IOException if the address cannot be bound, such as a port in use
   */
  static ExampleServer bind(String host, int port) throws IOException {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);

    connector.open();
    return new ExampleServer(server, connector);
  }

  /** The port bound, which is the free one chosen when {@link #bind} was given 0. */
  int port() {
    return connector.getLocalPort();
  }

  /** Starts answering at {@code /flyio/*} with {@code endpoint} and at {@code /dashboard/*}. */
  void start(ProviderEndpoint endpoint, DashboardServlet dashboard) throws IOException {
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new FlyExtensionServlet(endpoint)), MOUNT + "/*");
    context.addServlet(new ServletHolder(dashboard), DASHBOARD + "/*");
    server.setHandler(context);

    try {
      server.start();
    } catch (Exception e) {
      throw new IOException("Jetty did not start: " + e.getMessage(), e);
    }
  }

  /** Blocks until the server stops, that is until {@link #close()} is called on another thread. */
  void join() throws InterruptedException {
    server.join();
  }

  /** Stops the server; a second call, even from another thread, does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (server.isStarted()) {
        server.stop();
      } else {
        connector.close();
      }
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Jetty did not stop cleanly", e);
    }
  }
}
