package dev.flyext.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat 11, one context and one servlet, as {@link Container#TOMCAT} starts it. */
final class TomcatContainer implements Container.Running {
  /** Held so java.util.logging keeps the levels: it only keeps loggers weakly. */
  private static final List<Logger> QUIET =
      Stream.of("org.apache.catalina", "org.apache.coyote", "org.apache.tomcat")
          .map(Logger::getLogger)
          .toList();

  static {
    // Tomcat logs each start and stop at INFO, and each refused request once; keep the build quiet.
    QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
  }

  /**
   * Where each Tomcat gets its base directory, below the build's target directory: Tomcat takes the
   * first base directory as {@code catalina.home} for the whole JVM and makes it again later.
   */
  private static final Path WORK = Path.of("target", "tomcat");

  private final Tomcat tomcat;
  private final Path baseDir;
  private final int port;

  private TomcatContainer(Tomcat tomcat, Path baseDir, int port) {
    this.tomcat = tomcat;
    this.baseDir = baseDir;
    this.port = port;
  }

  static TomcatContainer start(Container.Deployment deployment) throws Exception {
    Files.createDirectories(WORK);
    Path baseDir = Files.createTempDirectory(WORK, "run");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    if (deployment.lenientPaths()) {
      connector.setEncodedSolidusHandling("passthrough");
      connector.setEncodedReverseSolidusHandling("passthrough");
      connector.setAllowBackslash(true);
      connector.setRejectSuspiciousURIs(false);
    }
    tomcat.setConnector(connector);
    StandardHost host = (StandardHost) tomcat.getHost();
    host.setAutoDeploy(false);
    if (deployment.refusals() == Container.Refusals.ALL_JSON) {
      host.setErrorReportValveClass(JsonErrorReports.class.getName());
      host.getPipeline().addValve(new JsonErrorReports());
    }

    // Binding happens in init, so the servlet can be made for the port before the start.
    tomcat.init();
    int port = connector.getLocalPort();

    Context context = tomcat.addContext(deployment.contextPath(), null);
    Tomcat.addServlet(context, "fly", deployment.servlet().apply(port));
    context.addServletMapping(deployment.servletMapping(), "fly");
    if (deployment.filter() != null) {
      FilterDef filter = new FilterDef();
      filter.setFilterName("guard");
      filter.setFilter(deployment.filter());
      context.addFilterDef(filter);
      FilterMap everything = new FilterMap();
      everything.setFilterName("guard");
      everything.addURLPattern("/*");
      context.addFilterMap(everything);
    }
    if (deployment.refusals() != Container.Refusals.CONTAINER_PAGES) {
      ErrorPage errorPage = new ErrorPage();
      errorPage.setLocation(deployment.errorPage());
      context.addErrorPage(errorPage);
    }
    tomcat.start();
    return new TomcatContainer(tomcat, baseDir, port);
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException("Tomcat did not stop", e);
    }
    try (Stream<Path> files = Files.walk(baseDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(TomcatContainer::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Tomcat's host-level error report, for refusals no context's error page answers: the same JSON
   * body the servlet gives on an error dispatch, never Tomcat's message. Public because the host
   * names its error report valve by class.
   */
  public static final class JsonErrorReports extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      AtomicBoolean ioAllowed = new AtomicBoolean(true);
      response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
      if (!ioAllowed.get()) {
        return;
      }

      byte[] body = FlyExtensionServlet.errorBody(status);
      try {
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(body.length);
        OutputStream out = response.getOutputStream();
        out.write(body);
        response.finishResponse();
      } catch (IOException | IllegalStateException e) {
        // The client is gone or the response was taken over; nothing is left to answer.
      }
    }
  }
}
