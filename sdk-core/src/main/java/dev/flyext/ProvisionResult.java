package dev.flyext;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.flyext.internal.Json;
import dev.flyext.internal.JsonFields;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The provider's answer to a provisioning request: the id Fly uses in every later call and the
 * {@code config} that Fly sets as the app's secrets. Config values are strings by construction,
 * because any other JSON type breaks flyctl.
 */
public final class ProvisionResult {
  private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String id;
  private final Map<String, String> config;
  private final @Nullable String name;
  private final @Nullable String flyAppName;

  private ProvisionResult(Builder builder) {
    this.id = builder.id;
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(builder.config));
    this.name = builder.name;
    this.flyAppName = builder.flyAppName;
  }

  /**
   * Starts a result for the resource {@code id}. It may be Fly's own id or the provider's; Fly
   * calls {@code /extensions/{id}} with it from then on.
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Reads a result written by {@link #toJson()}, for stores that keep answers as bytes.
   *
   * @throws ProtocolException if the bytes are not such a result
   */
  public static ProvisionResult parse(byte[] json) {
    JsonFields fields =
        JsonFields.of(JsonFields.parseObject(json, "provision result"), "provision result");
    String id = fields.requiredNonEmptyString("id");
    Map<String, String> config = fields.stringMap("config");
    String name = fields.optionalString("name");
    String flyAppName = fields.optionalString("fly_app_name");
    try {
      // The builder's checks apply to stored answers too: a bad key or blank id is refused.
      Builder builder = builder(id).config(config);
      if (name != null) {
        builder.name(name);
      }
      if (flyAppName != null) {
        builder.flyAppName(flyAppName);
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("provision result is invalid: " + e.getMessage(), null, e);
    }
  }

  public String id() {
    return id;
  }

  /** Environment variables for the user's app, in insertion order. */
  public Map<String, String> config() {
    return config;
  }

  /** A replacement name for the extension, when the provider chose one. */
  public @Nullable String name() {
    return name;
  }

  /** The provider's own Fly app that should receive Flycast traffic, when there is one. */
  public @Nullable String flyAppName() {
    return flyAppName;
  }

  /** The response body Fly receives. */
  public byte[] toJson() {
    return Json.write(this::write);
  }

  void write(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", id);
    json.writeObjectFieldStart("config");
    for (Map.Entry<String, String> entry : config.entrySet()) {
      json.writeStringField(entry.getKey(), entry.getValue());
    }
    json.writeEndObject();
    if (name != null) {
      json.writeStringField("name", name);
    }
    if (flyAppName != null) {
      json.writeStringField("fly_app_name", flyAppName);
    }
    json.writeEndObject();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ProvisionResult that
        && id.equals(that.id)
        && config.equals(that.config)
        && Objects.equals(name, that.name)
        && Objects.equals(flyAppName, that.flyAppName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, config, name, flyAppName);
  }

  /** Names the config keys but never prints their values, which are usually credentials. */
  @Override
  public String toString() {
    return "ProvisionResult{id=" + id + ", configKeys=" + config.keySet() + "}";
  }

  /** Collects a {@link ProvisionResult}; not thread-safe. */
  public static final class Builder {
    private final String id;
    private final Map<String, String> config = new LinkedHashMap<>();
    private @Nullable String name;
    private @Nullable String flyAppName;

    private Builder(String id) {
      Objects.requireNonNull(id, "id == null");
      if (id.isBlank()) {
        throw new IllegalArgumentException("id is blank: give the resource id Fly should use");
      }
      String problem = ExtensionIds.problem(id);
      if (problem != null) {
        throw new IllegalArgumentException(
            "id " + problem + ": Fly calls /extensions/{id} with it, so it must fit in a path");
      }
      this.id = id;
    }

    /**
     * Adds one config entry. Keys are environment variable names: letters, digits and underscores,
     * not starting with a digit.
     */
    public Builder config(String key, String value) {
      Objects.requireNonNull(key, "config key == null");
      Objects.requireNonNull(value, () -> "config value for " + key + " == null");
      if (!CONFIG_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "config key \""
                + key
                + "\" is not an environment variable name: use letters, digits and underscores,"
                + " not starting with a digit");
      }
      if (config.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("config key " + key + " was set twice");
      }
      return this;
    }

    /** Adds every entry of {@code entries}, in its iteration order. */
    public Builder config(Map<String, String> entries) {
      Objects.requireNonNull(entries, "entries == null");
      entries.forEach(this::config);
      return this;
    }

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    public Builder flyAppName(String flyAppName) {
      this.flyAppName = Objects.requireNonNull(flyAppName, "flyAppName == null");
      return this;
    }

    public ProvisionResult build() {
      return new ProvisionResult(this);
    }
  }
}
