package dev.flyext.servlet;

import dev.flyext.ProviderEndpoint;
import dev.flyext.ProviderRequest;
import dev.flyext.ProviderResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers Fly.io's extension calls by handing each request to a {@link ProviderEndpoint}. Mount it
 * under a path prefix ({@code /flyio/*}), at the root ({@code /*}), or as the default servlet
 * ({@code /}); the endpoint sees the path below the mount point.
 *
 * <pre>{@code
 * ProviderEndpoint endpoint = ProviderEndpoint.builder()
 *     .handler(new MyHandler())
 *     .provisioningSecret(System.getenv("FLY_PROVISIONING_SECRET"))
 *     .publicBaseUrl("https://kv.example.com/flyio")
 *     .build();
 * context.addServlet(new ServletHolder(new FlyExtensionServlet(endpoint)), "/flyio/*");
 * }</pre>
 *
 * <p>Every answer is JSON in UTF-8, written by this servlet, so the container's HTML error pages
 * never show for a request that reaches it. The body is read once, from the input stream, up to the
 * endpoint's cap. Thread-safe.
 *
 * <p>A container also answers some requests itself. Name this servlet's mount as the context's
 * error page (web.xml {@code <error-page><location>/flyio/error</location></error-page>}, or the
 * container's own API) and its refusals inside the context are JSON too: a path outside the mount,
 * a filter's {@code sendError}, an exception from a filter. On such an {@link DispatcherType#ERROR
 * error dispatch} the servlet answers {@code {"error": "..."}} with the container's status and a
 * fixed message for that status, never the container's own message, which may quote the request.
 * Refusals made before any context is chosen (an encoded slash, oversized headers, a malformed
 * request line) need the container's server-level error handler, and {@link #errorBody} gives it
 * the same body. See {@code docs/containers.md}.
 */
public final class FlyExtensionServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient ProviderEndpoint endpoint;

  public FlyExtensionServlet(ProviderEndpoint endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint == null");
  }

  /**
   * The JSON body this servlet answers with when the container forwards its own refusal with {@code
   * status} to it: {@code {"error": "...", "reason": "container_refused"}} with a fixed message for
   * the status. For a server-level error handler that answers before any servlet runs, so its
   * answers read the same.
   */
  public static byte[] errorBody(int status) {
    return ("{\"error\":\""
            + ContainerRefusals.message(status)
            + "\",\"reason\":\"container_refused\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    // rule: an error dispatch carries the container's own refusal, not a call from Fly
    if (request.getDispatcherType() == DispatcherType.ERROR) {
      answerContainerRefusal(request, response);
      return;
    }

    // rule: a filter that read the body through a reader leaves no stream to verify
    InputStream body;
    try {
      body = request.getInputStream();
    } catch (IllegalStateException readerInUse) {
      body = InputStream.nullInputStream();
    }

    ProviderRequest providerRequest =
        ProviderRequest.builder(request.getMethod(), routedPath(request))
            .rawQuery(request.getQueryString())
            .headers(name -> headerValues(request, name))
            .body(body, request.getContentLengthLong())
            .secure(request.isSecure())
            .build();

    write(endpoint.handle(providerRequest), response);
  }

  /**
   * The raw path below the mount point: the request URI without path parameters, the context path
   * and, for a prefix mapping, the servlet path. Kept percent-encoded, as Fly signed it.
   */
  static String routedPath(HttpServletRequest request) {
    String uri = withoutPathParameters(request.getRequestURI());
    String contextPath = request.getContextPath();
    String path = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;

    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping != null && mapping.getMappingMatch() == MappingMatch.PATH) {
      String servletPath = request.getServletPath();
      if (path.startsWith(servletPath)) {
        path = path.substring(servletPath.length());
      }
    }
    return path.isEmpty() ? "/" : path;
  }

  /**
   * Drops each segment's {@code ;parameters}, as the container does when it matches the mapping:
   * {@code /extensions;v=1/ext_1/sso} is {@code /extensions/ext_1/sso}, not {@code /extensions}.
   */
  static String withoutPathParameters(String path) {
    int semicolon = path.indexOf(';');
    if (semicolon < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    int start = 0;
    while (semicolon >= 0) {
      out.append(path, start, semicolon);
      int slash = path.indexOf('/', semicolon);
      if (slash < 0) {
        return out.toString();
      }
      start = slash;
      semicolon = path.indexOf(';', start);
    }
    return out.append(path, start, path.length()).toString();
  }

  /**
   * Answers the refusal the container forwarded here as JSON, with the status it chose. The request
   * is not routed and its body is not read: the container has already refused it.
   */
  private static void answerContainerRefusal(
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    int status =
        ContainerRefusals.status(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
    byte[] body = errorBody(status);
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(ContainerRefusals.JSON_UTF8);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(body.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    }
  }

  private static List<String> headerValues(HttpServletRequest request, String name) {
    var values = request.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  private static void write(ProviderResponse answer, HttpServletResponse response)
      throws IOException {
    response.setStatus(answer.status());
    for (Map.Entry<String, List<String>> header : answer.headers().entrySet()) {
      for (String value : header.getValue()) {
        response.addHeader(header.getKey(), value);
      }
    }
    byte[] body = answer.body();
    // Every answer names its charset in its Content-Type; setting it again would have Tomcat
    // spell it UTF-8 and Jetty utf-8.
    if (response.getContentType() == null) {
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    }
    response.setContentLength(body.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    }
  }
}
