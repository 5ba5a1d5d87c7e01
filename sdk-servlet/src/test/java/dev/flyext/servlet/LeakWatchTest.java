package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.ProvisionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The suite-wide check that no answer gives away the secret can itself fail. */
class LeakWatchTest {
  @RegisterExtension final JettyProviders jetty = new JettyProviders();

  @Test
  void flagsAnAnswerThatCarriesTheSecret() {
    JettyProvider server = jetty.start(JettyProvider.atFlyio());
    server
        .handler()
        .answerWith(
            request ->
                ProvisionResult.builder(request.id())
                    .config("LEAKED", "key=" + JettyProvider.SECRET)
                    .build());

    server.fly().provision("ext_leak");

    assertThat(jetty.watch().leaks()).singleElement().asString().startsWith("a secret");
    jetty.watch().forgetReplies();
  }

  @Test
  void findsNothingInOrdinaryAnswers() {
    JettyProvider server = jetty.start(JettyProvider.atFlyio());

    server.fly().provision("ext_clean");
    server.fly().get("/extensions/ext_clean");
    server.fly().signingWith("another-secret").get("/extensions/ext_clean");

    assertThat(jetty.watch().replies()).isEqualTo(3);
    assertThat(jetty.watch().leaks()).isEmpty();
  }
}
