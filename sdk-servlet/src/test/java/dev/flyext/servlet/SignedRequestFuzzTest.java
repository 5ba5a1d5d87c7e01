package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.MachineEvent;
import dev.flyext.ProviderEndpoint;
import dev.flyext.ProviderHandler;
import dev.flyext.ProvisionRequest;
import dev.flyext.ProvisionResult;
import dev.flyext.RequestSigner;
import dev.flyext.Resource;
import dev.flyext.ResourceRequest;
import dev.flyext.ResourceStatus;
import dev.flyext.UpdateRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sends 100,000 signed requests, most of them mutated after signing, through the servlet on a real
 * Jetty, and checks three things of every answer: never a 5xx, never a forged request accepted,
 * never a handler call for a request that failed verification.
 */
class SignedRequestFuzzTest {
  private static final int REQUESTS = 100_000;
  private static final String SECRET = "fuzz-provisioning-secret";
  private static final long SEED = 20261204L;

  private final Set<String> correctlySignedNonces = ConcurrentHashMap.newKeySet();
  private final AtomicInteger handlerCalls = new AtomicInteger();
  private final AtomicInteger handlerCallsOnForgery = new AtomicInteger();
  private Server jetty;
  private String base;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    jetty = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ServletContextHandler context = new ServletContextHandler();
    jetty.setHandler(context);
    jetty.start();
    int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    base = "http://127.0.0.1:" + port + "/flyio";
    ProviderEndpoint endpoint =
        ProviderEndpoint.builder()
            .handler(new CheckingHandler())
            .provisioningSecret(SECRET)
            .publicBaseUrl(base)
            .requireSignedEvents(true)
            .build();
    context.addServlet(new ServletHolder(new FlyExtensionServlet(endpoint)), "/flyio/*");
    http =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(null))
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  void mutatedSignedRequestsAreNeverAcceptedAndNeverFail() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicLong sent = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong serverErrors = new AtomicLong();
    AtomicLong forgeriesAccepted = new AtomicLong();
    Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    long started = System.nanoTime();

    List<Future<?>> workers = new ArrayList<>();
    for (int worker = 0; worker < 4; worker++) {
      int id = worker;
      workers.add(
          pool.submit(
              () -> {
                Random random = new Random(SEED + id);
                for (int i = id; i < REQUESTS; i += 4) {
                  Attempt attempt = mutate(random, i);
                  int status = send(attempt);
                  sent.incrementAndGet();
                  byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                  if (status >= 500) {
                    serverErrors.incrementAndGet();
                  }
                  if (status >= 200 && status < 300) {
                    accepted.incrementAndGet();
                    if (!attempt.signedAsSent) {
                      forgeriesAccepted.incrementAndGet();
                    }
                  } else {
                    refused.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    System.out.printf(
        "fuzz: %d requests in %d ms: %d accepted, %d refused, %d 5xx, %d forgeries accepted,"
            + " %d handler calls, %d on unverified requests; by status %s%n",
        sent.get(),
        elapsed.toMillis(),
        accepted.get(),
        refused.get(),
        serverErrors.get(),
        forgeriesAccepted.get(),
        handlerCalls.get(),
        handlerCallsOnForgery.get(),
        new java.util.TreeMap<>(byStatus));
    assertThat(sent.get()).isEqualTo(REQUESTS);
    assertThat(serverErrors.get()).isZero();
    assertThat(forgeriesAccepted.get()).isZero();
    assertThat(handlerCallsOnForgery.get()).isZero();
    assertThat(accepted.get()).as("some mutations re-sign and stay valid").isPositive();
    assertThat(refused.get()).isPositive();
  }

  /** One request to send, and whether its signature was made over exactly what is sent. */
  private record Attempt(
      String method,
      String path,
      String query,
      byte[] body,
      List<String> signatures,
      String contentType,
      boolean signedAsSent) {}

  private Attempt mutate(Random random, int index) {
    RequestSigner signer = RequestSigner.of(SECRET);
    String nonce = Long.toHexString(random.nextLong()) + Integer.toHexString(index);
    long now = Instant.now().getEpochSecond();
    int kind = random.nextInt(4);
    String id = "ext_" + random.nextInt(50);

    String method;
    String path;
    String query = "";
    byte[] body = new byte[0];
    switch (kind) {
      case 0:
        method = "POST";
        path = "/extensions";
        body =
            ("{\"name\":\"n"
                    + index
                    + "\",\"id\":\""
                    + id
                    + "\",\"organization_id\":\"o\","
                    + "\"organization_name\":\"O\",\"user_id\":\"u\",\"user_email\":\"e@x\","
                    + "\"user_role\":\"admin\",\"url\":\""
                    + base
                    + "/extensions\",\"nonce\":\""
                    + nonce
                    + "\",\"timestamp\":"
                    + now
                    + "}")
                .getBytes(StandardCharsets.UTF_8);
        break;
      case 1:
        method = "PATCH";
        path = "/extensions/" + id;
        body =
            ("{\"name\":\"m"
                    + index
                    + "\",\"url\":\""
                    + base
                    + path
                    + "\",\"nonce\":\""
                    + nonce
                    + "\",\"timestamp\":"
                    + now
                    + "}")
                .getBytes(StandardCharsets.UTF_8);
        break;
      case 2:
        method = random.nextBoolean() ? "GET" : "DELETE";
        path = "/extensions/" + id;
        query = RequestSigner.query(base + path, Instant.ofEpochSecond(now), nonce);
        break;
      default:
        method = "POST";
        path = "/extensions/events";
        body =
            ("{\"id\":\"evt_"
                    + index
                    + "\",\"type\":\"io.fly.machine.start\",\"machine_id\":\"m1\","
                    + "\"timestamp\":"
                    + now
                    + ",\"nonce\":\""
                    + nonce
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        break;
    }
    boolean bodyVerb = !method.equals("GET") && !method.equals("DELETE");
    String signature = bodyVerb ? signer.sign(body) : signer.sign(query);
    List<String> signatures = new ArrayList<>(List.of(signature));
    String contentType = "application/json";
    boolean resign = false;

    // Mutate after signing; some mutations re-sign the changed content, most do not.
    int mutation = random.nextInt(12);
    switch (mutation) {
      case 0:
        break;
      case 1:
        if (bodyVerb) {
          body = flipByte(random, body);
        } else {
          query = flipChar(random, query);
        }
        break;
      case 2:
        signatures = List.of(flipChar(random, signature));
        break;
      case 3:
        signatures = List.of();
        break;
      case 4:
        signatures = List.of(signature, signature);
        break;
      case 5:
        signatures =
            List.of(
                RequestSigner.of(SECRET + "x")
                    .sign(bodyVerb ? body : query.getBytes(StandardCharsets.UTF_8)));
        break;
      case 6:
        if (bodyVerb) {
          body = truncate(random, body);
        } else {
          query = query.substring(0, random.nextInt(query.length()));
        }
        break;
      case 7:
        if (bodyVerb) {
          body = flipByte(random, body);
        } else {
          query = flipChar(random, query);
        }
        resign = true;
        break;
      case 8:
        signatures = List.of(signature.substring(0, 63));
        break;
      case 9:
        signatures = List.of("sha256=" + signature);
        break;
      case 10:
        path = path + (random.nextBoolean() ? "/" : "x");
        break;
      default:
        contentType = random.nextBoolean() ? "text/plain" : "application/json; charset=latin1";
        break;
    }
    if (resign) {
      String resigned = bodyVerb ? signer.sign(body) : signer.sign(query);
      signatures = List.of(resigned);
    }
    byte[] sentContent = bodyVerb ? body : query.getBytes(StandardCharsets.UTF_8);
    boolean signedAsSent =
        signatures.size() == 1 && signatures.get(0).equalsIgnoreCase(signer.sign(sentContent));
    if (signedAsSent) {
      String sentNonce = nonceIn(new String(sentContent, StandardCharsets.UTF_8), bodyVerb);
      if (sentNonce != null) {
        correctlySignedNonces.add(sentNonce);
      }
    }
    return new Attempt(method, path, query, body, signatures, contentType, signedAsSent);
  }

  private static final java.util.regex.Pattern BODY_NONCE =
      java.util.regex.Pattern.compile("\"nonce\":\"([^\"]*)\"");
  private static final java.util.regex.Pattern QUERY_NONCE =
      java.util.regex.Pattern.compile("(?:^|&)nonce=([^&]*)");

  private static String nonceIn(String content, boolean body) {
    java.util.regex.Matcher matcher = (body ? BODY_NONCE : QUERY_NONCE).matcher(content);
    if (!matcher.find()) {
      return null;
    }
    return body
        ? matcher.group(1)
        : java.net.URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
  }

  private static byte[] flipByte(Random random, byte[] body) {
    byte[] copy = body.clone();
    int at = random.nextInt(copy.length);
    copy[at] = (byte) (copy[at] ^ (1 + random.nextInt(127)));
    return copy;
  }

  private static String flipChar(Random random, String text) {
    char[] chars = text.toCharArray();
    int at = random.nextInt(chars.length);
    char replacement;
    do {
      replacement = (char) (0x21 + random.nextInt(0x5e));
    } while (replacement == chars[at] || replacement == '#' || replacement == '%');
    chars[at] = replacement;
    return new String(chars);
  }

  private static byte[] truncate(Random random, byte[] body) {
    return java.util.Arrays.copyOf(body, random.nextInt(body.length));
  }

  private int send(Attempt attempt) {
    String target = base + attempt.path + (attempt.query.isEmpty() ? "" : "?" + attempt.query);
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10));
    } catch (IllegalArgumentException e) {
      return 400;
    }
    for (String signature : attempt.signatures) {
      request.header(RequestSigner.SIGNATURE_HEADER, signature);
    }
    if (attempt.method.equals("GET") || attempt.method.equals("DELETE")) {
      request.method(attempt.method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", attempt.contentType);
      request.method(attempt.method, HttpRequest.BodyPublishers.ofByteArray(attempt.body));
    }
    HttpRequest built = request.build();
    // A kept-alive connection the server has just closed fails before the request is sent;
    // sending again on a new connection is what any client does.
    for (int tries = 1; ; tries++) {
      try {
        return http.send(built, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (java.io.IOException e) {
        if (tries == 3) {
          throw new IllegalStateException("request failed: " + attempt.method + " " + target, e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** Counts calls, and those for a nonce the test never signed as sent. */
  private final class CheckingHandler implements ProviderHandler {
    private void check(String nonce) {
      handlerCalls.incrementAndGet();
      if (!correctlySignedNonces.contains(nonce)) {
        handlerCallsOnForgery.incrementAndGet();
      }
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
      check(request.nonce());
      return ProvisionResult.builder(request.id()).config("KV_TOKEN", "t").build();
    }

    @Override
    public Optional<Resource> get(ResourceRequest request) {
      check(request.parameter("nonce"));
      return Optional.of(Resource.builder(request.extensionId(), ResourceStatus.READY).build());
    }

    @Override
    public Resource update(UpdateRequest request) {
      check(request.nonce());
      return Resource.builder(request.extensionId(), ResourceStatus.READY).build();
    }

    @Override
    public void delete(ResourceRequest request) {
      check(request.parameter("nonce"));
    }

    @Override
    public void onMachineEvent(MachineEvent event) {
      handlerCalls.incrementAndGet();
    }
  }
}
