package dev.flyext;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.internal.Json;
import dev.flyext.internal.JsonFields;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A resource as the provider sees it: the answer to status and update calls, and what lifecycle
 * webhooks carry. Only {@code id} and {@code status} are required; Fly's status route also wants
 * {@code name}.
 */
public final class Resource {
  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "id",
          "name",
          "status",
          "message",
          "plan",
          "primary_region",
          "read_regions",
          "config",
          "organization_id",
          "user_id");

  private final String id;
  private final @Nullable String name;
  private final ResourceStatus status;
  private final @Nullable String message;
  private final @Nullable String plan;
  private final @Nullable String primaryRegion;
  private final List<String> readRegions;
  private final Map<String, String> config;
  private final @Nullable String organizationId;
  private final @Nullable String userId;
  private final Map<String, JsonNode> extraFields;

  private Resource(Builder builder) {
    this.id = builder.id;
    this.name = builder.name;
    this.status = builder.status;
    this.message = builder.message;
    this.plan = builder.plan;
    this.primaryRegion = builder.primaryRegion;
    this.readRegions = List.copyOf(builder.readRegions);
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(builder.config));
    this.organizationId = builder.organizationId;
    this.userId = builder.userId;
    this.extraFields = Collections.unmodifiableMap(new LinkedHashMap<>(builder.extraFields));
  }

  public static Builder builder(String id, ResourceStatus status) {
    return new Builder(id, status);
  }

  /**
   * Reads a resource from JSON, as a status answer or a webhook's {@code resource}.
   *
   * @throws ProtocolException if a required field is missing or mistyped
   */
  public static Resource parse(byte[] json) {
    return from(JsonFields.parseObject(json, "resource"));
  }

  static Resource from(ObjectNode node) {
    JsonFields fields = JsonFields.of(node, "resource");
    String statusText = fields.requiredString("status");
    ResourceStatus status;
    try {
      status = ResourceStatus.fromWireName(statusText);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("resource " + e.getMessage(), "status", e);
    }
    Builder builder = builder(fields.requiredNonEmptyString("id"), status);
    builder.name = fields.optionalString("name");
    builder.message = fields.optionalString("message");
    builder.plan = fields.optionalString("plan");
    builder.primaryRegion = fields.optionalString("primary_region");
    builder.readRegions = fields.stringList("read_regions");
    builder.config.putAll(fields.stringMap("config"));
    builder.organizationId = fields.optionalString("organization_id");
    builder.userId = fields.optionalString("user_id");
    builder.extraFields.putAll(fields.extras(KNOWN_FIELDS));
    return builder.build();
  }

  public String id() {
    return id;
  }

  public @Nullable String name() {
    return name;
  }

  public ResourceStatus status() {
    return status;
  }

  /** A message for the user; Fly shows it with status {@code error}. */
  public @Nullable String message() {
    return message;
  }

  public @Nullable String plan() {
    return plan;
  }

  public @Nullable String primaryRegion() {
    return primaryRegion;
  }

  public List<String> readRegions() {
    return readRegions;
  }

  /** Config to report with the resource; empty unless the provider chose to send it. */
  public Map<String, String> config() {
    return config;
  }

  /** The owning organization; {@code resource.created} webhooks carry it. */
  public @Nullable String organizationId() {
    return organizationId;
  }

  /** The user who created the resource; {@code resource.created} webhooks carry it. */
  public @Nullable String userId() {
    return userId;
  }

  /** Further fields, written after the known ones. */
  public Map<String, JsonNode> extraFields() {
    return extraFields;
  }

  /** A builder holding this resource's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = builder(id, status);
    builder.name = name;
    builder.message = message;
    builder.plan = plan;
    builder.primaryRegion = primaryRegion;
    builder.readRegions = readRegions;
    builder.config.putAll(config);
    builder.organizationId = organizationId;
    builder.userId = userId;
    builder.extraFields.putAll(extraFields);
    return builder;
  }

  public byte[] toJson() {
    return Json.write(this::write);
  }

  void write(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", id);
    writeIfSet(json, "name", name);
    json.writeStringField("status", status.wireName());
    writeIfSet(json, "message", message);
    writeIfSet(json, "plan", plan);
    writeIfSet(json, "primary_region", primaryRegion);
    if (!readRegions.isEmpty()) {
      json.writeArrayFieldStart("read_regions");
      for (String region : readRegions) {
        json.writeString(region);
      }
      json.writeEndArray();
    }
    if (!config.isEmpty()) {
      json.writeObjectFieldStart("config");
      for (Map.Entry<String, String> entry : config.entrySet()) {
        json.writeStringField(entry.getKey(), entry.getValue());
      }
      json.writeEndObject();
    }
    writeIfSet(json, "organization_id", organizationId);
    writeIfSet(json, "user_id", userId);
    for (Map.Entry<String, JsonNode> entry : extraFields.entrySet()) {
      json.writeFieldName(entry.getKey());
      Json.writeNode(json, entry.getValue());
    }
    json.writeEndObject();
  }

  private static void writeIfSet(JsonGenerator json, String field, @Nullable String value)
      throws IOException {
    if (value != null) {
      json.writeStringField(field, value);
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Resource that
        && id.equals(that.id)
        && Objects.equals(name, that.name)
        && status == that.status
        && Objects.equals(message, that.message)
        && Objects.equals(plan, that.plan)
        && Objects.equals(primaryRegion, that.primaryRegion)
        && readRegions.equals(that.readRegions)
        && config.equals(that.config)
        && Objects.equals(organizationId, that.organizationId)
        && Objects.equals(userId, that.userId)
        && extraFields.equals(that.extraFields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, status, name);
  }

  @Override
  public String toString() {
    return "Resource{id=" + id + ", name=" + name + ", status=" + status + "}";
  }

  /** Collects a {@link Resource}; not thread-safe. */
  public static final class Builder {
    private final String id;
    private ResourceStatus status;
    private @Nullable String name;
    private @Nullable String message;
    private @Nullable String plan;
    private @Nullable String primaryRegion;
    private List<String> readRegions = List.of();
    private final Map<String, String> config = new LinkedHashMap<>();
    private @Nullable String organizationId;
    private @Nullable String userId;
    private final Map<String, JsonNode> extraFields = new LinkedHashMap<>();

    private Builder(String id, ResourceStatus status) {
      Objects.requireNonNull(id, "id == null");
      if (id.isBlank()) {
        throw new IllegalArgumentException("resource id is blank");
      }
      this.id = id;
      this.status = Objects.requireNonNull(status, "status == null");
    }

    public Builder status(ResourceStatus status) {
      this.status = Objects.requireNonNull(status, "status == null");
      return this;
    }

    public Builder name(@Nullable String name) {
      this.name = name;
      return this;
    }

    public Builder message(@Nullable String message) {
      this.message = message;
      return this;
    }

    public Builder plan(@Nullable String plan) {
      this.plan = plan;
      return this;
    }

    public Builder primaryRegion(@Nullable String primaryRegion) {
      this.primaryRegion = primaryRegion;
      return this;
    }

    public Builder readRegions(List<String> readRegions) {
      this.readRegions = List.copyOf(readRegions);
      return this;
    }

    public Builder config(String key, String value) {
      config.put(
          Objects.requireNonNull(key, "config key == null"),
          Objects.requireNonNull(value, () -> "config value for " + key + " == null"));
      return this;
    }

    public Builder organizationId(@Nullable String organizationId) {
      this.organizationId = organizationId;
      return this;
    }

    public Builder userId(@Nullable String userId) {
      this.userId = userId;
      return this;
    }

    /** Adds a field this SDK does not model; it must not shadow a known one. */
    public Builder extraField(String name, JsonNode value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      if (KNOWN_FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "extra field \"" + name + "\" is a known resource field: use its builder method");
      }
      extraFields.put(name, value.deepCopy());
      return this;
    }

    public Resource build() {
      return new Resource(this);
    }
  }
}
