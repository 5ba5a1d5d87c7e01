package dev.flyext.benchmarks;

import dev.flyext.ProviderEndpoint;
import dev.flyext.servlet.FlyExtensionServlet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * The server side of comparison 1, in a JVM of its own: one Jetty 12 connector on loopback with the
 * SDK's servlet at {@code /flyio/*} and the bare servlet at {@code /plain/*}. It takes commands on
 * standard input: {@code start} (re)starts Jetty with a fresh endpoint, so each load step starts
 * with empty stores, and prints {@code port N}; {@code stop} or the end of input stops it.
 */
final class LoadServer {
  private LoadServer() {}

  public static void main(String[] args) throws Exception {
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    @Nullable Server server = null;
    String command;
    while ((command = commands.readLine()) != null && !command.equals("stop")) {
      if (command.equals("start")) {
        if (server != null) {
          server.stop();
        }
        System.gc();
        ServerConnector connector;
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(context());
        server.start();
        System.out.println("port " + connector.getLocalPort());
        System.out.flush();
      }
    }
    if (server != null) {
      server.stop();
    }
  }

  private static ServletContextHandler context() {
    ProviderEndpoint endpoint =
        ProviderEndpoint.builder()
            .handler(new BenchHandler())
            .provisioningSecret(Fixtures.PROVISIONING_SECRET)
            .publicBaseUrl(Fixtures.PUBLIC_BASE_URL)
            .build();
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new FlyExtensionServlet(endpoint)), "/flyio/*");
    context.addServlet(new ServletHolder(new BareServlet()), "/plain/*");
    return context;
  }
}
