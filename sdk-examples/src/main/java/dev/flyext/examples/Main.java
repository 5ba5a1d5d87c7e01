package dev.flyext.examples;

import dev.flyext.FlyApiClient;
import dev.flyext.ProviderEndpoint;
import dev.flyext.RequestOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar example-provider.jar serve|demo}: runs the example provider, or plays Fly's side
 * against it. See {@code sdk-examples/README.md}.
 */
public final class Main {
  static final String NAME = "example-provider";

  /** How long a SIGTERM waits for queued webhooks; the client itself gives them ten seconds. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(15);

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar example-provider.jar <command>",
          "",
          "commands:",
          "  serve   run the example provider and its dashboard; environment variables:",
          "            FLY_PROVISIONING_SECRET, FLY_WEBHOOK_SECRET, FLY_OAUTH_CLIENT_ID,",
          "            FLY_OAUTH_CLIENT_SECRET, FLY_PROVIDER_NAME (all required),",
          "            FLY_API_URL (default " + ServeConfig.DEFAULT_FLY_API_URL + "),",
          "            PUBLIC_URL (default http://localhost:$PORT/flyio),",
          "            PORT (default " + ServeConfig.DEFAULT_PORT + "),",
          "            HOST (default " + ServeConfig.DEFAULT_HOST + ")",
          "  demo    start the provider and a stand-in for Fly's API on free loopback ports and",
          "            play Fly's side, including dashboard sign-in; needs no configuration",
          "",
          "See sdk-examples/README.md.");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs one command and answers the process's exit status: 0 done, 1 failed, 2 misused. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String command = args.length == 1 ? args[0] : "";
    switch (command) {
      case "serve":
        return serve(env, out, err);
      case "demo":
        return demo(out, err);
      case "help":
      case "-h":
      case "--help":
        out.println(USAGE);
        return 0;
      default:
        err.println(USAGE);
        return 2;
    }
  }

  private static int serve(Map<String, String> env, PrintStream out, PrintStream err) {
    ServeConfig config;
    try {
      config = ServeConfig.fromEnvironment(env);
    } catch (ServeConfig.InvalidException e) {
      err.println(NAME + ": " + e.getMessage());
      return 2;
    }

    // The shutdown hook stops Jetty, then waits here until the handler and the client are closed,
    // so that webhooks still queued get their chance to reach Fly before the JVM ends.
    CountDownLatch closed = new CountDownLatch(1);
    try (FlyApiClient fly = flyClient(config);
        KvHandler handler = KvHandler.create(fly, config.publicUrl())) {
      ProviderEndpoint endpoint =
          endpoint(config, handler, fly, outcome -> out.println(outcome.toLogLine()));
      return listen(config, endpoint, handler, out, err, closed);
    } catch (IllegalArgumentException e) {
      err.println(NAME + ": " + e.getMessage() + "; see README");
      return 2;
    } finally {
      closed.countDown();
    }
  }

  private static int listen(
      ServeConfig config,
      ProviderEndpoint endpoint,
      KvHandler handler,
      PrintStream out,
      PrintStream err,
      CountDownLatch closed) {
    try (ExampleServer server = ExampleServer.bind(config.host(), config.port())) {
      server.start(endpoint, new DashboardServlet(handler, config.providerName()));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stop(server, closed), NAME + "-shutdown"));
      out.println(
          NAME
              + ": answering Fly on "
              + config.host()
              + ":"
              + server.port()
              + ExampleServer.MOUNT
              + "/*, signed for "
              + endpoint.publicBaseUrl()
              + "; dashboards at "
              + ExampleServer.DASHBOARD
              + "/{id}; Fly's API at "
              + config.flyApiUrl());
      server.join();
      return 0;
    } catch (IOException e) {
      err.println(NAME + ": cannot serve on port " + config.port() + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** On SIGTERM: stop answering, then give {@code serve} time to drain queued webhooks. */
  private static void stop(ExampleServer server, CountDownLatch closed) {
    server.close();
    try {
      closed.await(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The client for Fly's API that {@code serve} uses: webhooks and dashboard sign-in. */
  static FlyApiClient flyClient(ServeConfig config) {
    return FlyApiClient.builder()
        .apiUrl(config.flyApiUrl())
        .providerName(config.providerName())
        .webhookSecret(config.webhookSecret())
        .oauthClient(config.oauthClientId(), config.oauthClientSecret())
        .redirectUri(config.redirectUri())
        .build();
  }

  /** The endpoint that {@code serve} mounts, with dashboard sign-in through {@code fly}. */
  static ProviderEndpoint endpoint(
      ServeConfig config, KvHandler handler, FlyApiClient fly, RequestOutcome.Listener listener) {
    return ProviderEndpoint.builder()
        .handler(handler)
        .provisioningSecret(config.provisioningSecret())
        .publicBaseUrl(config.publicUrl())
        .dashboardSignIn(fly)
        // Fly's log collection stamps each line with the time, so the line carries none.
        .requestListener(listener)
        .build();
  }

  private static int demo(PrintStream out, PrintStream err) {
    try {
      return Demo.run(out).allPassed() ? 0 : 1;
    } catch (IOException e) {
      err.println(NAME + ": the demo could not start its provider: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
