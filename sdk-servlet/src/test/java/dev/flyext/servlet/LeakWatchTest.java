package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.ProvisionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The suite-wide check that no answer gives away the secret can itself fail. */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class LeakWatchTest {
  @RegisterExtension final ProviderServers servers;

  LeakWatchTest(Container container) {
    this.servers = new ProviderServers(container);
  }

  @Test
  void flagsAnAnswerThatCarriesTheSecret() {
    ProviderServer server = servers.start(ProviderServer.atFlyio());
    server
        .handler()
        .answerWith(
            request ->
                ProvisionResult.builder(request.id())
                    .config("LEAKED", "key=" + ProviderServer.SECRET)
                    .build());

    server.fly().provision("ext_leak");

    assertThat(servers.watch().leaks()).singleElement().asString().startsWith("a secret");
    servers.watch().forgetReplies();
  }

  @Test
  void findsNothingInOrdinaryAnswers() {
    ProviderServer server = servers.start(ProviderServer.atFlyio());

    server.fly().provision("ext_clean");
    server.fly().get("/extensions/ext_clean");
    server.fly().signingWith("another-secret").get("/extensions/ext_clean");

    assertThat(servers.watch().replies()).isEqualTo(3);
    assertThat(servers.watch().leaks()).isEmpty();
  }
}
