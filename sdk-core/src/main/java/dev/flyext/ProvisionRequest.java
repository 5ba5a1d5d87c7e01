package dev.flyext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.internal.JsonFields;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Fly's request to provision an extension ({@code POST {base}/extensions}). Fields Fly documents
 * are typed; {@code options} and every field this SDK does not know stay reachable as raw JSON.
 */
public final class ProvisionRequest {
  static final Set<String> KNOWN_FIELDS =
      Set.of(
          "name",
          "id",
          "organization_id",
          "organization_name",
          "user_id",
          "user_email",
          "user_role",
          "primary_region",
          "read_regions",
          "ip_address",
          "url",
          "nonce",
          "timestamp",
          "options");

  private final String id;
  private final String name;
  private final String organizationId;
  private final String organizationName;
  private final String userId;
  private final String userEmail;
  private final String userRole;
  private final @Nullable String primaryRegion;
  private final List<String> readRegions;
  private final @Nullable String ipAddress;
  private final String url;
  private final String nonce;
  private final Instant timestamp;
  private final @Nullable JsonNode options;
  private final Map<String, JsonNode> extraFields;

  private ProvisionRequest(JsonFields fields) {
    this.name = fields.requiredNonEmptyString("name");
    this.id = fields.requiredNonEmptyString("id");
    String problem = ExtensionIds.problem(id);
    if (problem != null) {
      throw new ProtocolException(
          "provisioning request field `id` " + problem + "; it must fit in /extensions/{id}",
          "id",
          null);
    }
    this.organizationId = fields.requiredNonEmptyString("organization_id");
    this.organizationName = fields.requiredString("organization_name");
    this.userId = fields.requiredNonEmptyString("user_id");
    this.userEmail = fields.requiredString("user_email");
    this.userRole = fields.requiredString("user_role");
    this.primaryRegion = fields.optionalString("primary_region");
    this.readRegions = fields.stringList("read_regions");
    this.ipAddress = fields.optionalString("ip_address");
    this.url = fields.requiredString("url");
    this.nonce = fields.requiredString("nonce");
    this.timestamp = fields.requiredTimestamp("timestamp");
    this.options = fields.raw("options");
    this.extraFields = fields.extras(KNOWN_FIELDS);
  }

  /**
   * Reads a provisioning request from its JSON body. This does not verify anything: the endpoint
   * verifies the signature before it parses.
   *
   * @throws ProtocolException if the body is not JSON or a required field is missing or mistyped
   */
  public static ProvisionRequest parse(byte[] json) {
    return from(JsonFields.parseObject(json, "provisioning request"));
  }

  static ProvisionRequest from(ObjectNode body) {
    return new ProvisionRequest(JsonFields.of(body, "provisioning request"));
  }

  /** Fly's id for the extension; it stays the same when Fly retries the request. */
  public String id() {
    return id;
  }

  /** The extension name, unique across Fly. */
  public String name() {
    return name;
  }

  public String organizationId() {
    return organizationId;
  }

  public String organizationName() {
    return organizationName;
  }

  public String userId() {
    return userId;
  }

  /** A stable alias that routes to the provisioning user, {@code ...@customer.fly.io}. */
  public String userEmail() {
    return userEmail;
  }

  /** The provisioning user's role in the organization: {@code admin} or {@code member}. */
  public String userRole() {
    return userRole;
  }

  /** The region the app writes from, when Fly sent one. */
  public @Nullable String primaryRegion() {
    return primaryRegion;
  }

  /** Regions asked for read replicas; empty when none. */
  public List<String> readRegions() {
    return readRegions;
  }

  /** The IPv6 Flycast address on the customer's private network, when Fly sent one. */
  public @Nullable String ipAddress() {
    return ipAddress;
  }

  /** The URL Fly sent this request to, as signed. */
  public String url() {
    return url;
  }

  public String nonce() {
    return nonce;
  }

  public Instant timestamp() {
    return timestamp;
  }

  /** The provider-specific {@code options} object as raw JSON (a copy), when sent. */
  public @Nullable JsonNode options() {
    return options == null ? null : options.deepCopy();
  }

  /** Fields this SDK does not model, by name, as raw JSON copies. */
  public Map<String, JsonNode> extraFields() {
    return extraFields;
  }

  @Override
  public String toString() {
    return "ProvisionRequest{id="
        + id
        + ", name="
        + name
        + ", organizationId="
        + organizationId
        + "}";
  }
}
