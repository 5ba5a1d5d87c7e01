package dev.flyext;

import java.util.Objects;

/**
 * One organization a Fly user belongs to, from token info.
 *
 * @param id the organization id, as in {@link ProvisionRequest#organizationId()}
 * @param role {@code admin} or {@code member}
 */
public record OrganizationMembership(String id, String role) {
  public OrganizationMembership {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(role, "role == null");
  }

  public boolean isAdmin() {
    return "admin".equals(role);
  }
}
