package dev.flyext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.internal.JsonFields;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What Fly says about the user behind an access token ({@code GET {fly}/oauth/token/info}). It is
 * not an RFC 7662 introspection response: it has no {@code active} field.
 */
public final class TokenInfo {
  private final String userId;
  private final @Nullable String resourceOwnerId;
  private final @Nullable String userName;
  private final @Nullable String email;
  private final List<OrganizationMembership> organizations;
  private final List<String> scope;
  private final @Nullable Duration expiresIn;
  private final @Nullable String applicationUid;
  private final @Nullable Instant createdAt;

  private TokenInfo(JsonFields fields) {
    this.userId = fields.requiredNonEmptyString("user_id");
    this.resourceOwnerId = fields.optionalString("resource_owner_id");
    this.userName = fields.optionalString("user_name");
    this.email = fields.optionalString("email");
    this.organizations = memberships(fields);
    this.scope = scope(fields);
    Long seconds = fields.optionalLong("expires_in");
    this.expiresIn = seconds == null ? null : Duration.ofSeconds(seconds);
    ObjectNode application = fields.optionalObject("application");
    this.applicationUid =
        application == null
            ? null
            : JsonFields.of(application, "token info application").optionalString("uid");
    this.createdAt = fields.optionalTimestamp("created_at");
  }

  /**
   * Reads token info.
   *
   * @throws ProtocolException if {@code user_id} is missing or a field is mistyped
   */
  public static TokenInfo parse(byte[] json) {
    return new TokenInfo(JsonFields.of(JsonFields.parseObject(json, "token info"), "token info"));
  }

  private static List<OrganizationMembership> memberships(JsonFields fields) {
    JsonNode array = fields.node().get("organizations");
    if (array == null || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw new ProtocolException(
          "token info field `organizations` must be an array, got " + JsonFields.typeName(array),
          "organizations",
          null);
    }
    List<OrganizationMembership> list = new ArrayList<>();
    for (JsonNode element : array) {
      if (!element.isObject()) {
        throw new ProtocolException(
            "token info field `organizations` must hold objects", "organizations", null);
      }
      JsonFields org = JsonFields.of((ObjectNode) element, "token info organization");
      list.add(
          new OrganizationMembership(org.requiredNonEmptyString("id"), org.requiredString("role")));
    }
    return List.copyOf(list);
  }

  private static List<String> scope(JsonFields fields) {
    JsonNode value = fields.node().get("scope");
    if (value != null && value.isTextual()) {
      return List.of(value.textValue().split(" "));
    }
    return fields.stringList("scope");
  }

  /** The Fly user id; key users by this, not by email. */
  public String userId() {
    return userId;
  }

  public @Nullable String resourceOwnerId() {
    return resourceOwnerId;
  }

  public @Nullable String userName() {
    return userName;
  }

  public @Nullable String email() {
    return email;
  }

  public List<OrganizationMembership> organizations() {
    return organizations;
  }

  /** The user's membership of {@code organizationId}, if any. */
  public Optional<OrganizationMembership> membership(String organizationId) {
    return organizations.stream().filter(o -> o.id().equals(organizationId)).findFirst();
  }

  public List<String> scope() {
    return scope;
  }

  public @Nullable Duration expiresIn() {
    return expiresIn;
  }

  /** The OAuth client the token was issued to ({@code application.uid}), when Fly says. */
  public @Nullable String applicationUid() {
    return applicationUid;
  }

  public @Nullable Instant createdAt() {
    return createdAt;
  }

  @Override
  public String toString() {
    return "TokenInfo{userId=" + userId + ", organizations=" + organizations + "}";
  }
}
