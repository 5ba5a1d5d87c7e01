package dev.flyext.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.util.Objects;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A servlet container the suite runs {@link FlyExtensionServlet} in, embedded, on 127.0.0.1 and a
 * port of the system's choosing. Each test class runs once per container, as containers differ in
 * error pages, encodings and path handling.
 */
enum Container {
  JETTY {
    @Override
    Running start(Deployment deployment) throws Exception {
      return JettyContainer.start(deployment);
    }
  },
  TOMCAT {
    @Override
    Running start(Deployment deployment) throws Exception {
      return TomcatContainer.start(deployment);
    }
  };

  /** Binds a port, builds the servlet for it, mounts it as {@code deployment} says and starts. */
  abstract Running start(Deployment deployment) throws Exception;

  /** Where a servlet is mounted inside its context: {@code /flyio} for {@code /flyio/*}. */
  static String mountPrefix(String servletMapping) {
    if (servletMapping.equals("/") || servletMapping.equals("/*")) {
      return "";
    }
    if (servletMapping.startsWith("/") && servletMapping.endsWith("/*")) {
      return servletMapping.substring(0, servletMapping.length() - 2);
    }
    throw new IllegalArgumentException("use a prefix mapping or /, not " + servletMapping);
  }

  /** How much of what the container answers by itself is turned into JSON. */
  enum Refusals {
    /** The container as it comes: its own error pages. */
    CONTAINER_PAGES,
    /** The servlet named as the context's error page, the portable half of docs/containers.md. */
    ERROR_PAGE,
    /** The error page and the server-level JSON error handler: all of docs/containers.md. */
    ALL_JSON
  }

  /**
   * What to run: the servlet, made once the port is known, at {@code servletMapping} inside the
   * context at {@code contextPath} ({@code ""} for the root context), with an optional filter in
   * front of everything in the context. With {@code lenientPaths} the container lets encoded
   * slashes, backslashes and dot segments through to the servlet instead of refusing them.
   */
  record Deployment(
      String contextPath,
      String servletMapping,
      IntFunction<? extends Servlet> servlet,
      Refusals refusals,
      @Nullable Filter filter,
      boolean lenientPaths) {
    Deployment {
      Objects.requireNonNull(contextPath);
      Objects.requireNonNull(servletMapping);
      Objects.requireNonNull(servlet);
      Objects.requireNonNull(refusals);
    }

    Deployment(String contextPath, String servletMapping, IntFunction<? extends Servlet> servlet) {
      this(contextPath, servletMapping, servlet, Refusals.CONTAINER_PAGES, null, false);
    }

    String mountPrefix() {
      return Container.mountPrefix(servletMapping);
    }

    /** The error page location, inside the servlet's mount so the servlet answers it. */
    String errorPage() {
      return mountPrefix() + "/error";
    }
  }

  /** A started container; {@link #close()} stops it and frees its port. */
  interface Running extends AutoCloseable {
    int port();

    @Override
    void close();
  }
}
