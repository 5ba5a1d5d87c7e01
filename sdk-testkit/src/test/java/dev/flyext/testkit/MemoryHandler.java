package dev.flyext.testkit;

import dev.flyext.BillingPeriod;
import dev.flyext.BillingRecord;
import dev.flyext.DashboardRedirect;
import dev.flyext.MachineEvent;
import dev.flyext.ProviderException;
import dev.flyext.ProviderHandler;
import dev.flyext.ProvisionRequest;
import dev.flyext.ProvisionResult;
import dev.flyext.Resource;
import dev.flyext.ResourceRequest;
import dev.flyext.ResourceStatus;
import dev.flyext.SignedInUser;
import dev.flyext.UpdateRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A correct provider's handler, kept in memory: a database with read regions stays pending for a
 * moment, as with asynchronous provisioning; billing is reported when enabled.
 */
final class MemoryHandler implements ProviderHandler {
  static final Duration PENDING_FOR = Duration.ofMillis(300);

  private record Database(
      String id, String name, String organizationId, Instant readyAt, LocalDate created) {}

  private final Clock clock = Clock.systemUTC();
  private final boolean billing;
  private final Map<String, Database> databases = new ConcurrentHashMap<>();
  private final List<MachineEvent> events = new CopyOnWriteArrayList<>();

  MemoryHandler(boolean billing) {
    this.billing = billing;
  }

  List<MachineEvent> events() {
    return List.copyOf(events);
  }

  @Override
  public ProvisionResult provision(ProvisionRequest request) {
    Instant readyAt =
        request.readRegions().isEmpty() ? clock.instant() : clock.instant().plus(PENDING_FOR);
    databases.put(
        request.id(),
        new Database(
            request.id(),
            request.name(),
            request.organizationId(),
            readyAt,
            LocalDate.now(clock.withZone(ZoneOffset.UTC))));
    return ProvisionResult.builder(request.id())
        .config("KV_URL", "https://kv.example.test/db/" + request.id())
        .config("KV_TOKEN", "kvt_" + UUID.randomUUID())
        .build();
  }

  @Override
  public Optional<Resource> get(ResourceRequest request) {
    return Optional.ofNullable(databases.get(request.extensionId())).map(this::resource);
  }

  @Override
  public Resource update(UpdateRequest request) {
    Database updated =
        databases.computeIfPresent(
            request.extensionId(),
            (id, current) -> {
              @Nullable String name =
                  request.name().isAbsent() ? current.name() : request.name().orElse(null);
              if (name == null) {
                throw ProviderException.invalidRequest("name cannot be cleared");
              }
              return new Database(
                  id, name, current.organizationId(), current.readyAt(), current.created());
            });
    if (updated == null) {
      throw ProviderException.notFound("no database " + request.extensionId());
    }
    return resource(updated);
  }

  @Override
  public void delete(ResourceRequest request) {
    databases.remove(request.extensionId());
  }

  @Override
  public void onMachineEvent(MachineEvent event) {
    events.add(event);
  }

  @Override
  public List<BillingRecord> billing(BillingPeriod period) {
    if (!billing) {
      return ProviderHandler.super.billing(period);
    }
    List<BillingRecord> records = new ArrayList<>();
    for (Database database : databases.values()) {
      if (period.contains(database.created())) {
        records.add(BillingRecord.ofCents(database.id(), database.created(), 3));
      }
    }
    return records;
  }

  @Override
  public Optional<String> owningOrganization(String extensionId) {
    return Optional.ofNullable(databases.get(extensionId)).map(Database::organizationId);
  }

  @Override
  public DashboardRedirect signedIn(SignedInUser user) {
    return DashboardRedirect.to(URI.create("/dashboard/" + user.extensionId()));
  }

  private Resource resource(Database database) {
    ResourceStatus status =
        clock.instant().isBefore(database.readyAt())
            ? ResourceStatus.PENDING
            : ResourceStatus.READY;
    return Resource.builder(database.id(), status)
        .name(database.name())
        .organizationId(database.organizationId())
        .build();
  }
}
