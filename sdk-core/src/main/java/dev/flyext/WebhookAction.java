package dev.flyext;

/** What a lifecycle webhook tells Fly about a resource. */
public enum WebhookAction {
  CREATED("resource.created"),
  UPDATED("resource.updated"),
  DELETED("resource.deleted");

  private final String wireName;

  WebhookAction(String wireName) {
    this.wireName = wireName;
  }

  /** The value on the wire, such as {@code resource.updated}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The action whose wire name is {@code value}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static WebhookAction fromWireName(String value) {
    for (WebhookAction action : values()) {
      if (action.wireName.equals(value)) {
        return action;
      }
    }
    throw new IllegalArgumentException(
        "unknown webhook action \""
            + value
            + "\": expected resource.created, resource.updated or resource.deleted");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
