package dev.flyext;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What a provider implements: one method per call Fly makes. The endpoint calls these only after
 * the request is verified and parsed, so a handler never sees an unsigned, stale, replayed or
 * malformed request.
 *
 * <p>Calls arrive concurrently, from the container's threads. A handler refuses by throwing {@link
 * ProviderException}; any other exception becomes a 500 with a generic message.
 *
 * <p>The endpoint makes provisioning idempotent: a repeated request for the same Fly {@code id}
 * gets the first answer without reaching {@link #provision}. It also remembers deletions, so {@link
 * #delete} is called at most once per resource and {@link #get} is not called after it.
 */
public interface ProviderHandler {
  /**
   * Creates the resource and answers the config Fly sets on the user's app. If it cannot be ready
   * within about five seconds, answer now and report {@link ResourceStatus#PENDING} from {@link
   * #get} until it is.
   */
  ProvisionResult provision(ProvisionRequest request);

  /** The resource's current state, or empty when there is no such resource (a 404). */
  Optional<Resource> get(ResourceRequest request);

  /**
   * Applies the fields present in the update and answers the resource as it now is. Throw {@link
   * ProviderException#notFound} for an unknown id.
   */
  Resource update(UpdateRequest request);

  /**
   * Removes the resource. An unknown id is not an error: throw nothing, or {@link
   * ProviderException#notFound}, and the endpoint answers success either way.
   */
  void delete(ResourceRequest request);

  /** Receives a machine event. Events whose id was seen recently are dropped before this. */
  default void onMachineEvent(MachineEvent event) {}

  /**
   * The charges for every extension on every day of {@code period}. Provisional: Fly has not
   * published its billing API. The default refuses with 501.
   */
  default List<BillingRecord> billing(BillingPeriod period) {
    throw ProviderException.notImplemented("this provider does not report billing");
  }

  /**
   * Dashboard sign-in: the Fly organization that owns {@code extensionId}, as recorded at
   * provisioning. Empty means no such extension (404). Only members of this organization may sign
   * in.
   */
  default Optional<String> owningOrganization(String extensionId) {
    return Optional.empty();
  }

  /**
   * Dashboard sign-in: if this browser already has a provider session for a user allowed on the
   * extension, where to send it. Empty starts Fly's OAuth sign-in.
   */
  default Optional<URI> existingSession(DashboardRequest request) {
    return Optional.empty();
  }

  /**
   * Dashboard sign-in: a Fly user signed in and was checked against the owning organization. Answer
   * where to send the browser, and set the provider's own session cookie there.
   */
  default DashboardRedirect signedIn(SignedInUser user) {
    throw ProviderException.notImplemented("this provider has no dashboard");
  }
}
