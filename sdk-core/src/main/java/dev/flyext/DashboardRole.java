package dev.flyext;

/** A Fly user's role in the organization that owns an extension, as dashboard sign-in maps it. */
public enum DashboardRole {
  /** {@code admin} in Fly: may manage the resource. */
  ADMIN,
  /** {@code member} in Fly: may use it. */
  MEMBER
}
