package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link ProviderServer}s in one {@link Container} for one test, stops them after it, and
 * then fails the test if any answer it received carried the provisioning secret or a signature it
 * sent.
 */
final class ProviderServers implements BeforeEachCallback, AfterEachCallback {
  private final Container container;
  private final List<ProviderServer> started = new ArrayList<>();
  private LeakWatch watch = new LeakWatch();

  ProviderServers(Container container) {
    this.container = Objects.requireNonNull(container);
  }

  ProviderServer start(ProviderServer.Builder builder) {
    ProviderServer server = builder.start(container, watch);
    started.add(server);
    return server;
  }

  Container container() {
    return container;
  }

  LeakWatch watch() {
    return watch;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    watch = new LeakWatch();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (ProviderServer server : started) {
      server.close();
    }
    started.clear();
    assertThat(watch.leaks()).as("answers that gave away a secret or a signature").isEmpty();
  }
}
