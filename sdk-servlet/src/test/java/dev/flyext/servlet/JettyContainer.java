package dev.flyext.servlet;

import jakarta.servlet.DispatcherType;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/** Embedded Jetty 12 with the ee10 servlet context, as {@link Container#JETTY} starts it. */
final class JettyContainer implements Container.Running {
  private final Server server;
  private final int port;

  private JettyContainer(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  static JettyContainer start(Container.Deployment deployment) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    if (deployment.lenientPaths()) {
      connector
          .getConnectionFactory(HttpConnectionFactory.class)
          .getHttpConfiguration()
          .setUriCompliance(UriCompliance.UNSAFE);
    }
    connector.open();
    int port = connector.getLocalPort();

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(deployment.contextPath().isEmpty() ? "/" : deployment.contextPath());
    context.addServlet(
        new ServletHolder(deployment.servlet().apply(port)), deployment.servletMapping());
    if (deployment.lenientPaths()) {
      context.getServletHandler().setDecodeAmbiguousURIs(true);
    }
    if (deployment.filter() != null) {
      context.addFilter(
          new FilterHolder(deployment.filter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    if (deployment.refusals() != Container.Refusals.CONTAINER_PAGES) {
      ErrorPageErrorHandler errorPages = new EveryMethodErrorPages();
      errorPages.addErrorPage(ErrorPageErrorHandler.GLOBAL_ERROR_PAGE, deployment.errorPage());
      context.setErrorHandler(errorPages);
    }
    if (deployment.refusals() == Container.Refusals.ALL_JSON) {
      server.setErrorHandler(new JsonErrors());
    }
    server.setHandler(context);
    server.start();
    return new JettyContainer(server, port);
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /**
   * The context's error pages for every method: Jetty's own dispatch to an error page only for GET,
   * POST and HEAD, and answers a PATCH or DELETE it refuses with an empty body.
   */
  static final class EveryMethodErrorPages extends ErrorPageErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }
  }

  /**
   * Jetty's server-level error handler, for refusals made before any context is chosen: the same
   * JSON body the servlet gives on an error dispatch, never Jetty's message.
   */
  static final class JsonErrors extends ErrorHandler {
    private static final String JSON_UTF8 = "application/json;charset=utf-8";

    /** Jetty writes an error body only for GET, POST and HEAD; Fly also sends PATCH and DELETE. */
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
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_UTF8);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }
}
