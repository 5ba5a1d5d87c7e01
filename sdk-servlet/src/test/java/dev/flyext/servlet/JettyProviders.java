package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link JettyProvider}s for one test, stops them after it, and then fails the test if any
 * answer it received carried the provisioning secret or a signature it sent.
 */
final class JettyProviders implements BeforeEachCallback, AfterEachCallback {
  private final List<JettyProvider> started = new ArrayList<>();
  private LeakWatch watch = new LeakWatch();

  JettyProvider start(JettyProvider.Builder builder) {
    JettyProvider server = builder.start(watch);
    started.add(server);
    return server;
  }

  LeakWatch watch() {
    return watch;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    watch = new LeakWatch();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (JettyProvider server : started) {
      server.close();
    }
    started.clear();
    assertThat(watch.leaks()).as("answers that gave away a secret or a signature").isEmpty();
  }
}
