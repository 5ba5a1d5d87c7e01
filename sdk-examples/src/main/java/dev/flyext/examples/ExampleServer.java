package dev.flyext.examples;

import dev.flyext.ProviderEndpoint;
import dev.flyext.servlet.FlyExtensionServlet;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

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

    // Jetty's own refusals (bad URIs, oversized headers, unknown paths) answer JSON too, as
    // docs/containers.md describes: the context's error page is the servlet, and refusals made
    // before any context is chosen get the servlet's error body.
    ErrorPageErrorHandler errorPages =
        new ErrorPageErrorHandler() {
          @Override
          public boolean errorPageForMethod(String method) {
            return true;
          }
        };
    errorPages.addErrorPage(ErrorPageErrorHandler.GLOBAL_ERROR_PAGE, MOUNT + "/error");
    context.setErrorHandler(errorPages);
    server.setErrorHandler(new JsonErrors());
    server.setHandler(context);

    try {
      server.start();
    } catch (Exception e) {
      throw new IOException("Jetty did not start: " + e.getMessage(), e);
    }
  }

  /** Answers refusals Jetty makes before any context is chosen with the servlet's JSON body. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int status,
        String message,
        Throwable cause,
        Callback callback) {
      byte[] body = FlyExtensionServlet.errorBody(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
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
