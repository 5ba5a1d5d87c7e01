package dev.flyext.servlet;

import dev.flyext.BillingPeriod;
import dev.flyext.BillingRecord;
import dev.flyext.MachineEvent;
import dev.flyext.ProviderException;
import dev.flyext.ProviderHandler;
import dev.flyext.ProvisionRequest;
import dev.flyext.ProvisionResult;
import dev.flyext.Resource;
import dev.flyext.ResourceRequest;
import dev.flyext.ResourceStatus;
import dev.flyext.UpdateRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A provider that keeps resources in memory and records every call, so tests can tell whether a
 * request reached it. It can be told to sleep in {@code provision} or to throw from every method.
 */
final class RecordingHandler implements ProviderHandler {
  final AtomicInteger provisions = new AtomicInteger();
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger updates = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger events = new AtomicInteger();
  final AtomicInteger billings = new AtomicInteger();

  final List<ProvisionRequest> provisionRequests = new CopyOnWriteArrayList<>();
  final List<UpdateRequest> updateRequests = new CopyOnWriteArrayList<>();
  final List<ResourceRequest> resourceRequests = new CopyOnWriteArrayList<>();
  final List<MachineEvent> machineEvents = new CopyOnWriteArrayList<>();

  private final Map<String, Resource> resources = new ConcurrentHashMap<>();
  private volatile Duration provisionDelay = Duration.ZERO;
  private volatile @Nullable RuntimeException failure;
  private volatile Function<ProvisionRequest, ProvisionResult> answer =
      request ->
          ProvisionResult.builder(request.id())
              .config("KV_URL", "redis://kv.internal/" + request.id())
              .build();

  /** Every call, of any kind, that reached the handler. */
  int calls() {
    return provisions.get()
        + gets.get()
        + updates.get()
        + deletes.get()
        + events.get()
        + billings.get();
  }

  void sleepInProvision(Duration delay) {
    this.provisionDelay = delay;
  }

  void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  void stopFailing() {
    this.failure = null;
  }

  void answerWith(Function<ProvisionRequest, ProvisionResult> answer) {
    this.answer = answer;
  }

  @Override
  public ProvisionResult provision(ProvisionRequest request) {
    provisions.incrementAndGet();
    provisionRequests.add(request);
    failIfTold();
    pause(provisionDelay);
    resources.put(
        request.id(),
        Resource.builder(request.id(), ResourceStatus.READY)
            .name(request.name())
            .primaryRegion(request.primaryRegion())
            .build());
    return answer.apply(request);
  }

  @Override
  public Optional<Resource> get(ResourceRequest request) {
    gets.incrementAndGet();
    resourceRequests.add(request);
    failIfTold();
    return Optional.ofNullable(resources.get(request.extensionId()));
  }

  @Override
  public Resource update(UpdateRequest request) {
    updates.incrementAndGet();
    updateRequests.add(request);
    failIfTold();
    Resource current = resources.get(request.extensionId());
    if (current == null) {
      throw ProviderException.notFound("no extension " + request.extensionId());
    }
    Resource.Builder changed = current.toBuilder();
    if (request.name().isPresent()) {
      changed.name(request.name().orElse(null));
    }
    if (request.primaryRegion().isPresent()) {
      changed.primaryRegion(request.primaryRegion().orElse(null));
    }
    Resource updated = changed.build();
    resources.put(updated.id(), updated);
    return updated;
  }

  @Override
  public void delete(ResourceRequest request) {
    deletes.incrementAndGet();
    resourceRequests.add(request);
    failIfTold();
    resources.remove(request.extensionId());
  }

  @Override
  public void onMachineEvent(MachineEvent event) {
    events.incrementAndGet();
    machineEvents.add(event);
    failIfTold();
  }

  @Override
  public List<BillingRecord> billing(BillingPeriod period) {
    billings.incrementAndGet();
    failIfTold();
    List<BillingRecord> records = new ArrayList<>();
    for (String id : resources.keySet()) {
      records.add(BillingRecord.ofCents(id, period.from(), 125));
    }
    return records;
  }

  private void failIfTold() {
    RuntimeException failure = this.failure;
    if (failure != null) {
      throw failure;
    }
  }

  private static void pause(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sleeping in provision", e);
    }
  }
}
