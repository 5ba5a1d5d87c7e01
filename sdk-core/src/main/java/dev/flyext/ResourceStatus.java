package dev.flyext;

/** The state of a provisioned resource as Fly shows it. */
public enum ResourceStatus {
  /** Not ready yet; Fly polls the status route until it is. */
  PENDING("pending"),
  /** Ready for use. */
  READY("ready"),
  /** Suspended, for example scaled to zero; it wakes on use. */
  SLEEPING("sleeping"),
  /** Failed; Fly shows the resource's message to the user. */
  ERROR("error");

  private final String wireName;

  ResourceStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The value on the wire, such as {@code ready}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The status whose wire name is {@code value}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ResourceStatus fromWireName(String value) {
    for (ResourceStatus status : values()) {
      if (status.wireName.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown resource status \"" + value + "\": expected pending, ready, sleeping or error");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
