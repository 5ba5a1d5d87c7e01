package dev.flyext.benchmarks;

import dev.flyext.InMemoryNonceStore;
import dev.flyext.NonceStore;
import dev.flyext.ProviderEndpoint;
import dev.flyext.ProviderRequest;
import dev.flyext.ProviderResponse;
import dev.flyext.RequestSigner;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Comparison 5, in a JVM of its own with the serial collector so that heap after a full collection
 * is exact: the heap one million live nonces hold, and the heap a provider holds after rounds of
 * signed requests, before and after the freshness window has passed.
 */
final class HeapCensus {
  private static final double MIB = 1024 * 1024;
  private static final int PROVISIONED_IDS = 1_000;

  private HeapCensus() {}

  public static void main(String[] args) throws InterruptedException {
    int requests = Integer.parseInt(args[0]);
    MovableClock clock = new MovableClock(Instant.now());
    usedAfterCollection();
    nonceStore(clock);
    endpoint(clock, requests);
  }

  private static void nonceStore(MovableClock clock) throws InterruptedException {
    long before = usedAfterCollection();
    InMemoryNonceStore empty = InMemoryNonceStore.create(1_000_000, clock);
    long emptyHeap = usedAfterCollection() - before;
    Reference.reachabilityFence(empty);
    empty = null;

    before = usedAfterCollection();
    InMemoryNonceStore store = InMemoryNonceStore.create(1_000_000, clock);
    Instant expiry = clock.instant().plusSeconds(301);
    for (int i = 0; i < 1_000_000; i++) {
      if (store.record(Fixtures.nonce(), expiry) != NonceStore.Outcome.ACCEPTED) {
        throw new IllegalStateException("nonce " + i + " was not accepted");
      }
    }
    long full = usedAfterCollection() - before;
    if (store.size() != 1_000_000) {
      throw new IllegalStateException("the store holds " + store.size() + " nonces, not 1000000");
    }
    Reference.reachabilityFence(store);

    Report.emitFigure(System.out, "nonce-store-empty-heap", emptyHeap / MIB, "MiB");
    Report.emitFigure(System.out, "nonce-store-1m-heap", full / MIB, "MiB");
    Report.emitFigure(System.out, "nonce-store-bytes-per-nonce", full / 1e6, "B");
    Report.emitRatio(System.out, "nonce-store-1m-vs-128mib", full / (128 * MIB), "<=1.00");
  }

  private static void endpoint(MovableClock clock, int requests) throws InterruptedException {
    ProviderEndpoint endpoint =
        ProviderEndpoint.builder()
            .handler(new BenchHandler())
            .provisioningSecret(Fixtures.PROVISIONING_SECRET)
            .publicBaseUrl(Fixtures.PUBLIC_BASE_URL)
            .clock(clock)
            .build();
    RequestSigner signer = RequestSigner.of(Fixtures.PROVISIONING_SECRET);
    send(endpoint, signer, clock, 1_000, false);

    long base = usedAfterCollection();
    send(endpoint, signer, clock, requests, false);
    long first = usedAfterCollection() - base;

    // Past the window every nonce of the first round is stale, so the store may drop them.
    clock.advance(Duration.ofSeconds(302));
    send(endpoint, signer, clock, requests, false);
    long second = usedAfterCollection() - base;

    // Each new id is one more answer kept for idempotency, by design without a bound.
    clock.advance(Duration.ofSeconds(302));
    send(endpoint, signer, clock, 2, false);
    long beforeIds = usedAfterCollection();
    send(endpoint, signer, clock, 10_000, true);
    long ids = usedAfterCollection() - beforeIds;
    Reference.reachabilityFence(endpoint);

    Report.emitFigure(System.out, "heap-after-1st-requests", first / MIB, "MiB");
    Report.emitFigure(System.out, "heap-after-2nd-requests", second / MIB, "MiB");
    Report.emitFigure(System.out, "heap-requests-per-round", requests, "requests");
    Report.emitFigure(
        System.out, "provision-store-bytes-per-new-id-and-nonce", ids / 10_000.0, "B");
    Report.emitRatio(
        System.out,
        "heap-2nd-vs-1st-" + requests / 1000 + "k-requests",
        ratio(second, first),
        "<=1.10");
  }

  /**
   * Sends {@code count} signed requests: half {@code GET /extensions/{id}} and half {@code POST
   * /extensions} over {@link #PROVISIONED_IDS} ids (Fly retrying the same provisions), or only
   * provisions of new ids.
   */
  private static void send(
      ProviderEndpoint endpoint,
      RequestSigner signer,
      MovableClock clock,
      int count,
      boolean newIds) {
    for (int i = 0; i < count; i++) {
      Instant now = clock.instant();
      ProviderRequest request;
      if (!newIds && i % 2 == 0) {
        String query = Fixtures.resourceQuery(Fixtures.nonce(), now);
        request =
            ProviderRequest.builder("GET", "/extensions/" + Fixtures.EXTENSION_ID)
                .rawQuery(query)
                .headers(Map.of(RequestSigner.SIGNATURE_HEADER, List.of(signer.sign(query))))
                .build();
      } else {
        String id = newIds ? "new_" + i : "ext_" + (i / 2) % PROVISIONED_IDS;
        byte[] body = Fixtures.provisionBody(id, Fixtures.nonce(), now);
        request =
            ProviderRequest.builder("POST", "/extensions")
                .headers(
                    Map.of(
                        RequestSigner.SIGNATURE_HEADER,
                        List.of(signer.sign(body)),
                        "Content-Type",
                        List.of("application/json")))
                .body(body)
                .build();
      }
      ProviderResponse response = endpoint.handle(request);
      if (response.status() != 200) {
        throw new IllegalStateException(
            "request " + i + " was answered " + response.status() + ": " + response.bodyText());
      }
    }
  }

  private static double ratio(long value, long baseline) {
    return (double) value / Math.max(1, baseline);
  }

  /** Heap in use after full collections, repeated until it stops shrinking. */
  private static long usedAfterCollection() throws InterruptedException {
    long used = heapUsed();
    for (int i = 0; i < 12; i++) {
      System.gc();
      Thread.sleep(20);
      long previous = used;
      used = heapUsed();
      if (i >= 3 && Math.abs(previous - used) <= 64 * 1024) {
        break;
      }
    }
    return used;
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
