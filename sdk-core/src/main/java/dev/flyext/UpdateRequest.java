package dev.flyext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.internal.JsonFields;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fly's update of one extension ({@code PATCH {base}/extensions/{id}}). Each field is a {@link
 * PatchValue}: absent means unchanged, {@code null} means cleared.
 */
public final class UpdateRequest {
  private final String extensionId;
  private final PatchValue<String> name;
  private final PatchValue<String> organizationId;
  private final PatchValue<String> organizationName;
  private final PatchValue<String> userId;
  private final PatchValue<String> userEmail;
  private final PatchValue<String> userRole;
  private final PatchValue<String> primaryRegion;
  private final PatchValue<List<String>> readRegions;
  private final PatchValue<String> ipAddress;
  private final PatchValue<JsonNode> options;
  private final String url;
  private final String nonce;
  private final Instant timestamp;
  private final Map<String, JsonNode> extraFields;

  private UpdateRequest(String extensionId, JsonFields fields) {
    this.extensionId = Objects.requireNonNull(extensionId, "extensionId == null");
    this.name = fields.patchString("name");
    this.organizationId = fields.patchString("organization_id");
    this.organizationName = fields.patchString("organization_name");
    this.userId = fields.patchString("user_id");
    this.userEmail = fields.patchString("user_email");
    this.userRole = fields.patchString("user_role");
    this.primaryRegion = fields.patchString("primary_region");
    this.readRegions = fields.patchStringList("read_regions");
    this.ipAddress = fields.patchString("ip_address");
    this.options = fields.patchRaw("options");
    this.url = fields.requiredString("url");
    this.nonce = fields.requiredString("nonce");
    this.timestamp = fields.requiredTimestamp("timestamp");
    this.extraFields = fields.extras(ProvisionRequest.KNOWN_FIELDS);
  }

  /**
   * Reads an update of {@code extensionId} from its JSON body. This does not verify anything.
   *
   * @throws ProtocolException if the body is not JSON or a field is mistyped
   */
  public static UpdateRequest parse(String extensionId, byte[] json) {
    return from(extensionId, JsonFields.parseObject(json, "update request"));
  }

  static UpdateRequest from(String extensionId, ObjectNode body) {
    return new UpdateRequest(extensionId, JsonFields.of(body, "update request"));
  }

  /** The {@code {id}} of the route. */
  public String extensionId() {
    return extensionId;
  }

  public PatchValue<String> name() {
    return name;
  }

  public PatchValue<String> organizationId() {
    return organizationId;
  }

  public PatchValue<String> organizationName() {
    return organizationName;
  }

  public PatchValue<String> userId() {
    return userId;
  }

  public PatchValue<String> userEmail() {
    return userEmail;
  }

  public PatchValue<String> userRole() {
    return userRole;
  }

  public PatchValue<String> primaryRegion() {
    return primaryRegion;
  }

  public PatchValue<List<String>> readRegions() {
    return readRegions;
  }

  public PatchValue<String> ipAddress() {
    return ipAddress;
  }

  /** The provider-specific {@code options}, as raw JSON. */
  public PatchValue<JsonNode> options() {
    return options;
  }

  public String url() {
    return url;
  }

  public String nonce() {
    return nonce;
  }

  public Instant timestamp() {
    return timestamp;
  }

  /** Fields this SDK does not model, by name, as raw JSON. */
  public Map<String, JsonNode> extraFields() {
    return extraFields;
  }

  @Override
  public String toString() {
    return "UpdateRequest{extensionId=" + extensionId + "}";
  }
}
