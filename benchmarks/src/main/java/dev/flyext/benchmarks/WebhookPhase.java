package dev.flyext.benchmarks;

import dev.flyext.FlyApiClient;
import dev.flyext.LifecycleWebhook;
import dev.flyext.RequestSigner;
import dev.flyext.Resource;
import dev.flyext.ResourceStatus;
import dev.flyext.WebhookAction;
import dev.flyext.WebhookDelivery;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Comparison 4, in a JVM of its own: the client's queue delivering webhooks to a receiver on
 * loopback, against a raw OkHttp loop sending the same bodies, signed the same way, through the
 * same connection pool with as many threads as the client's delivery pool. Open connections are
 * counted at the end on both sides of the socket.
 */
final class WebhookPhase {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int RESOURCES = 100;

  /** The client's delivery pool has two threads; the raw loop gets as many. */
  private static final int RAW_THREADS = 2;

  private WebhookPhase() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int webhooks = Integer.parseInt(args[1]);
    int warmups = Integer.parseInt(args[2]);

    AtomicLong received = new AtomicLong();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new Receiver(received)), "/*");
    server.setHandler(context);
    server.start();
    String apiUrl = "http://127.0.0.1:" + connector.getLocalPort();

    OkHttpClient base = new OkHttpClient.Builder().build();
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < RESOURCES; i++) {
      resources.add(
          Resource.builder("ext_" + i, ResourceStatus.READY)
              .name("kv-" + i)
              .plan("starter")
              .build());
    }
    try {
      // Warm every path up before anything is timed.
      // The JIT takes tens of thousands of webhooks to settle on OkHttp's and the client's paths.
      for (int i = 0; i < warmups; i++) {
        sdkRound(base, apiUrl, resources, webhooks, received);
        rawRound(base, apiUrl, resources, webhooks, received, false);
        rawRound(base, apiUrl, resources, webhooks, received, true);
      }

      // Per round: webhooks per second and process CPU seconds of the client, the loop that
      // signs in the loop, and the loop that sends prepared requests; in a rotating order, so
      // that no side always runs first.
      double[][] rates = new double[3][rounds];
      double[][] cpu = new double[3][rounds];
      int[] connections = new int[3];
      for (int round = 0; round < rounds; round++) {
        for (int turn = 0; turn < 3; turn++) {
          int side = (round + turn) % 3;
          base.connectionPool().evictAll();
          double cpuBefore = processCpuSeconds();
          double seconds =
              side == 0
                  ? sdkRound(base, apiUrl, resources, webhooks, received)
                  : rawRound(base, apiUrl, resources, webhooks, received, side == 2);
          cpu[side][round] = processCpuSeconds() - cpuBefore;
          rates[side][round] = webhooks / seconds;
          connections[side] = Math.max(connections[side], base.connectionPool().connectionCount());
        }
      }

      base.connectionPool().evictAll();
      int serverSide = awaitServerConnections(connector, Duration.ofSeconds(3));

      String[] names = {"sdk", "raw-okhttp", "raw-okhttp-prepared"};
      for (int side = 0; side < 3; side++) {
        Report.emitFigure(
            System.out,
            "webhook-" + names[side] + "-per-second",
            median(rates[side]),
            "webhooks/s");
        Report.emitFigure(
            System.out,
            "webhook-" + names[side] + "-cpu-per-webhook",
            sum(cpu[side]) * 1e6 / (rounds * (double) webhooks),
            "us");
        Report.emitFigure(
            System.out,
            "webhook-" + names[side] + "-pool-connections",
            connections[side],
            "connections");
      }
      Report.emitFigure(
          System.out, "webhook-receiver-connections-after-evict", serverSide, "connections");
      // Each round's runs are next to each other in time, so their ratio shares the load.
      Report.emitRatio(
          System.out, "webhook-10k-vs-raw-okhttp", medianRatio(rates[0], rates[1]), ">=0.90");
      Report.emitRatio(
          System.out, "webhook-10k-vs-raw-okhttp-prepared", medianRatio(rates[0], rates[2]), null);
      Report.emitRatio(
          System.out, "webhook-cpu-per-webhook-vs-raw-okhttp", sum(cpu[0]) / sum(cpu[1]), null);
      Report.emitRatio(
          System.out,
          "webhook-connections-vs-raw-okhttp",
          (double) connections[0] / Math.max(1, connections[1]),
          "<=1.00");
    } finally {
      base.dispatcher().executorService().shutdown();
      base.connectionPool().evictAll();
      server.stop();
    }
  }

  /** Seconds for the client to queue and deliver {@code count} webhooks. */
  private static double sdkRound(
      OkHttpClient base, String apiUrl, List<Resource> resources, int count, AtomicLong received)
      throws Exception {
    long before = received.get();
    FlyApiClient client =
        FlyApiClient.builder()
            .apiUrl(apiUrl)
            .providerName(Fixtures.PROVIDER_NAME)
            .webhookSecret(Fixtures.WEBHOOK_SECRET)
            .httpClient(base)
            .build();
    long start = System.nanoTime();
    List<CompletableFuture<WebhookDelivery>> deliveries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      deliveries.add(
          client.enqueueWebhook(WebhookAction.UPDATED, resources.get(i % resources.size())));
    }
    CompletableFuture.allOf(deliveries.toArray(new CompletableFuture<?>[0]))
        .get(120, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    client.shutdown(Duration.ofSeconds(5));
    check(received.get() - before, count, "the client");
    return seconds;
  }

  /**
   * Seconds for a raw loop to send {@code count} signed webhooks with as many threads as the client
   * has. The loop serializes and signs each body as it goes, as a hand-written sender would, or,
   * when {@code prepared}, sends requests built before the clock starts.
   */
  private static double rawRound(
      OkHttpClient base,
      String apiUrl,
      List<Resource> resources,
      int count,
      AtomicLong received,
      boolean prepared)
      throws Exception {
    long before = received.get();
    String url = apiUrl + "/api/hooks/extensions/" + Fixtures.PROVIDER_NAME;
    Request[] requests = new Request[count];
    if (prepared) {
      Mac mac = mac();
      for (int i = 0; i < count; i++) {
        requests[i] = request(url, resources.get(i % resources.size()), mac);
      }
    }

    ExecutorService threads = Executors.newFixedThreadPool(RAW_THREADS);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> loops = new ArrayList<>();
    for (int t = 0; t < RAW_THREADS; t++) {
      loops.add(
          threads.submit(
              () -> {
                Mac mac = mac();
                int i;
                while ((i = next.getAndIncrement()) < count) {
                  Request request =
                      prepared
                          ? requests[i]
                          : request(url, resources.get(i % resources.size()), mac);
                  try (Response response = base.newCall(request).execute()) {
                    if (!response.isSuccessful()) {
                      throw new IOException("the receiver answered " + response.code());
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> loop : loops) {
      loop.get(120, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    threads.shutdown();
    check(received.get() - before, count, "the raw loop");
    return seconds;
  }

  /** A webhook for {@code resource}, stamped now and signed with a plain {@link Mac}. */
  private static Request request(String url, Resource resource, Mac mac) {
    byte[] body =
        LifecycleWebhook.create(WebhookAction.UPDATED, resource, Instant.now(), url).toJson();
    return new Request.Builder()
        .url(url)
        .header(RequestSigner.SIGNATURE_HEADER, HexFormat.of().formatHex(mac.doFinal(body)))
        .post(RequestBody.create(body, JSON))
        .build();
  }

  private static Mac mac() throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(Fixtures.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return mac;
  }

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  private static double sum(double[] values) {
    return Arrays.stream(values).sum();
  }

  private static double medianRatio(double[] values, double[] baselines) {
    double[] ratios = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      ratios[i] = values[i] / baselines[i];
    }
    return median(ratios);
  }

  private static void check(long received, int sent, String who) {
    if (received != sent) {
      throw new IllegalStateException(
          "the receiver got " + received + " webhooks from " + who + ", not " + sent);
    }
  }

  private static int awaitServerConnections(ServerConnector connector, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int open = connector.getConnectedEndPoints().size();
    while (open > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      open = connector.getConnectedEndPoints().size();
    }
    return open;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** Takes each webhook whole and answers 200, as Fly does. */
  private static final class Receiver extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] ANSWER = "{}".getBytes(StandardCharsets.UTF_8);
    private final transient AtomicLong received;

    Receiver(AtomicLong received) {
      this.received = received;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.getInputStream().readAllBytes();
      received.incrementAndGet();
      response.setStatus(200);
      response.setContentType("application/json");
      response.setContentLength(ANSWER.length);
      response.getOutputStream().write(ANSWER);
    }
  }
}
