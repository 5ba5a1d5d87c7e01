package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.SignatureException.Reason;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The servlet named as the context's error page: what the container forwards to it is answered as
 * JSON with the container's status and a fixed message, while the endpoint's own answers pass
 * untouched. A filter in front plays a provider's own security layer.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class ErrorDispatchOverHttpTest {
  private static final String PROBE = "<script>alert('hunter2')</script>";

  @RegisterExtension final ProviderServers servers;

  ErrorDispatchOverHttpTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  @Test
  void answersAFiltersRefusalAsJsonWithoutItsMessage() {
    Filter guard =
        (request, response, chain) -> {
          String blocked = ((HttpServletRequest) request).getHeader("X-Block");
          if (blocked != null) {
            ((HttpServletResponse) response).sendError(403, "blocked " + blocked);
            return;
          }
          chain.doFilter(request, response);
        };
    ProviderServer server = servers.start(withErrorPage().filter(guard));

    Reply blocked =
        server.fly().request("GET", "/extensions/ext_1").header("X-Block", PROBE).send();
    Reply passed = server.fly().request("GET", "/extensions/ext_1").send();

    Answers.assertJsonError(blocked, 403);
    assertThat(blocked.body()).isEqualTo(FlyExtensionServlet.errorBody(403));
    assertThat(blocked.text()).doesNotContain("script").doesNotContain("hunter2");
    Answers.assertRefused(passed, Reason.MISSING_SIGNATURE);
    assertThat(server.handler().calls()).isZero();
  }

  @Test
  void answersAFilterThatThrowsWithA500WithoutItsDetails() {
    Filter broken =
        (request, response, chain) -> {
          throw new IllegalStateException("password hunter2 refused by db.internal");
        };
    ProviderServer server = servers.start(withErrorPage().filter(broken));
    Reply reply;

    // Tomcat logs the exception at SEVERE on a logger it gives its own level; keep it off the
    // console. Jetty logs through SLF4J, which has no provider in this build.
    Logger catalina = Logger.getLogger("org.apache.catalina");
    catalina.setUseParentHandlers(false);
    try {
      reply = server.fly().provision("ext_boom");
    } finally {
      catalina.setUseParentHandlers(true);
    }

    Answers.assertJsonError(reply, 500);
    assertThat(reply.body()).isEqualTo(FlyExtensionServlet.errorBody(500));
    assertThat(reply.text()).doesNotContain("hunter2").doesNotContain("Exception");
  }

  @Test
  void keepsTheEndpointsOwnErrorAnswersWithAnErrorPageSet() {
    ProviderServer server = servers.start(withErrorPage());

    Reply unsigned = server.fly().request("POST", "/extensions").json(new byte[] {'{', '}'}).send();
    Reply wrongMethod = server.fly().request("PUT", "/extensions/ext_1").send();

    Answers.assertRefused(unsigned, Reason.MISSING_SIGNATURE);
    assertThat(Answers.assertJsonError(wrongMethod, 405).get("error").asText())
        .isEqualTo("PUT is not allowed here; use GET, PATCH, DELETE, OPTIONS");
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET, PATCH, DELETE, OPTIONS");
  }

  @Test
  void answersTheErrorPageLocationItselfAsAnUnknownRoute() {
    ProviderServer server = servers.start(withErrorPage());

    Reply reply = server.fly().request("GET", "/error").send();

    Answers.assertJsonError(reply, 404);
    assertThat(server.handler().calls()).isZero();
  }

  @Test
  void answersAHeadOutsideTheMountWithTheStatusAndNoBody() {
    ProviderServer server = servers.start(withErrorPage());

    Reply reply = server.raw("HEAD", "/elsewhere", new byte[0]);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body()).isEmpty();
  }

  private static ProviderServer.Builder withErrorPage() {
    return ProviderServer.atFlyio().refusals(Container.Refusals.ERROR_PAGE);
  }
}
