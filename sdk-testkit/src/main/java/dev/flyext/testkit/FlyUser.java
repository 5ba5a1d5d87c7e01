package dev.flyext.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Fly user the stand-in signs in, with their organizations and roles.
 *
 * @param id Fly's user id
 * @param name the display name
 * @param email the email
 * @param organizations organization id to role ({@code admin} or {@code member}), in order
 */
public record FlyUser(String id, String name, String email, Map<String, String> organizations) {
  public FlyUser {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(email, "email == null");
    organizations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(organizations));
  }

  /** A user in no organization yet. */
  public static FlyUser of(String id, String name, String email) {
    return new FlyUser(id, name, email, Map.of());
  }

  /** This user, also a member of {@code organizationId} with {@code role}. */
  public FlyUser withOrganization(String organizationId, String role) {
    Map<String, String> organizations = new LinkedHashMap<>(this.organizations);
    organizations.put(organizationId, role);
    return new FlyUser(id, name, email, organizations);
  }
}
