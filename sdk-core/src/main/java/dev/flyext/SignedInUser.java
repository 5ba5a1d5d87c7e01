package dev.flyext;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Fly user who signed in through Fly's OAuth for one extension, checked to belong to the
 * organization that owns it.
 *
 * @param extensionId the extension whose dashboard was asked for
 * @param organizationId the organization that owns it, of which the user is a member
 * @param role the user's role there
 * @param userId Fly's user id; key provider accounts by this, not by email
 * @param userName the user's display name, when Fly gave one
 * @param email the user's email, when Fly gave one
 * @param tokenInfo everything Fly said about the user
 */
public record SignedInUser(
    String extensionId,
    String organizationId,
    DashboardRole role,
    String userId,
    @Nullable String userName,
    @Nullable String email,
    TokenInfo tokenInfo) {
  public SignedInUser {
    Objects.requireNonNull(extensionId, "extensionId == null");
    Objects.requireNonNull(organizationId, "organizationId == null");
    Objects.requireNonNull(role, "role == null");
    Objects.requireNonNull(userId, "userId == null");
    Objects.requireNonNull(tokenInfo, "tokenInfo == null");
  }
}
