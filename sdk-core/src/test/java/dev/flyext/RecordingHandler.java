package dev.flyext;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A ProviderHandler whose answers a test sets, and which counts every call. */
final class RecordingHandler implements ProviderHandler {
  final AtomicInteger provisions = new AtomicInteger();
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger updates = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final List<ProvisionRequest> provisioned = new CopyOnWriteArrayList<>();
  final List<ResourceRequest> resourceRequests = new CopyOnWriteArrayList<>();
  final List<UpdateRequest> updated = new CopyOnWriteArrayList<>();
  final List<MachineEvent> events = new CopyOnWriteArrayList<>();
  final List<BillingPeriod> billed = new CopyOnWriteArrayList<>();

  volatile Function<ProvisionRequest, ProvisionResult> onProvision = RecordingHandler::answer;
  volatile Function<ResourceRequest, Optional<Resource>> onGet =
      request ->
          Optional.of(
              Resource.builder(request.extensionId(), ResourceStatus.READY)
                  .name("kv-prod")
                  .build());
  volatile Function<UpdateRequest, Resource> onUpdate =
      request ->
          Resource.builder(request.extensionId(), ResourceStatus.READY)
              .name(request.name().orElse("kv-prod"))
              .build();
  volatile Consumer<ResourceRequest> onDelete = request -> {};
  volatile Consumer<MachineEvent> onEvent = event -> {};

  /** The billing answer; null means the interface's default (501). */
  volatile @Nullable Function<BillingPeriod, List<BillingRecord>> onBilling;

  static ProvisionResult answer(ProvisionRequest request) {
    return ProvisionResult.builder(request.id())
        .config("KV_URL", "rediss://kv.example.com/" + request.id())
        .config("KV_TOKEN", "token-for-" + request.id())
        .build();
  }

  @Override
  public ProvisionResult provision(ProvisionRequest request) {
    provisions.incrementAndGet();
    provisioned.add(request);
    return onProvision.apply(request);
  }

  @Override
  public Optional<Resource> get(ResourceRequest request) {
    gets.incrementAndGet();
    resourceRequests.add(request);
    return onGet.apply(request);
  }

  @Override
  public Resource update(UpdateRequest request) {
    updates.incrementAndGet();
    updated.add(request);
    return onUpdate.apply(request);
  }

  @Override
  public void delete(ResourceRequest request) {
    deletes.incrementAndGet();
    resourceRequests.add(request);
    onDelete.accept(request);
  }

  @Override
  public void onMachineEvent(MachineEvent event) {
    onEvent.accept(event);
    events.add(event);
  }

  @Override
  public List<BillingRecord> billing(BillingPeriod period) {
    billed.add(period);
    Function<BillingPeriod, List<BillingRecord>> answer = onBilling;
    return answer == null ? ProviderHandler.super.billing(period) : answer.apply(period);
  }
}
