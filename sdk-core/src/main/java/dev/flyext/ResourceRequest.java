package dev.flyext;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A verified status or delete call for one extension ({@code GET} or {@code DELETE
 * {base}/extensions/{id}}). Its signed fields ride in the query string; every query parameter Fly
 * sent is reachable, decoded.
 */
public final class ResourceRequest {
  private final String extensionId;
  private final Map<String, String> parameters;
  private final Instant timestamp;

  ResourceRequest(String extensionId, Map<String, String> parameters, Instant timestamp) {
    this.extensionId = Objects.requireNonNull(extensionId, "extensionId == null");
    this.parameters = Map.copyOf(parameters);
    this.timestamp = timestamp;
  }

  /** Creates a request as the endpoint would, for a handler's unit tests. */
  public static ResourceRequest of(String extensionId, Map<String, String> parameters) {
    return new ResourceRequest(extensionId, parameters, Instant.EPOCH);
  }

  /** The {@code {id}} of the route: the id the provider answered at provisioning. */
  public String extensionId() {
    return extensionId;
  }

  /** Every query parameter, decoded, including {@code nonce}, {@code timestamp} and {@code url}. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** One query parameter, such as {@code organization_id} if Fly sends it. */
  public @Nullable String parameter(String name) {
    return parameters.get(name);
  }

  /** When Fly signed the request. */
  public Instant timestamp() {
    return timestamp;
  }

  @Override
  public String toString() {
    return "ResourceRequest{extensionId=" + extensionId + "}";
  }
}
