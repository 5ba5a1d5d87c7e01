package dev.flyext.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The baseline of comparison 1: reads the body as the SDK's servlet does and answers the bytes the
 * SDK would, with the same headers, and checks nothing.
 */
final class BareServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final byte[] RESOURCE = Fixtures.RESOURCE.toJson();
  private static final byte[] PROVISIONED = Fixtures.PROVISION_RESULT.toJson();

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    byte[] answer = RESOURCE;
    if (request.getMethod().equals("POST")) {
      request.getInputStream().readAllBytes();
      answer = PROVISIONED;
    }
    response.setStatus(200);
    response.addHeader("Content-Type", "application/json; charset=utf-8");
    response.addHeader("Cache-Control", "no-store");
    response.addHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(answer.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(answer);
    }
  }
}
