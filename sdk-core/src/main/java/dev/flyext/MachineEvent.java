package dev.flyext;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event about one of the provider's Fly Machines ({@code POST {base}/extensions/events}). Fly
 * has documented two shapes: CloudEvents in binary mode (attributes in {@code ce-*} headers) and an
 * older form with everything in the body. Both arrive as this one type.
 */
public final class MachineEvent {
  /** Which of the two documented shapes the event arrived in. */
  public enum Format {
    /** CloudEvents binary mode: {@code ce-id}, {@code ce-type}, ... headers. */
    CLOUD_EVENT,
    /** The older form: {@code id}, {@code type}, {@code timestamp} inside the body. */
    LEGACY
  }

  private final String id;
  private final String type;
  private final @Nullable String machineId;
  private final @Nullable String status;
  private final @Nullable String source;
  private final @Nullable Instant time;
  private final @Nullable JsonNode data;
  private final Format format;

  MachineEvent(
      String id,
      String type,
      @Nullable String machineId,
      @Nullable String status,
      @Nullable String source,
      @Nullable Instant time,
      @Nullable JsonNode data,
      Format format) {
    this.id = Objects.requireNonNull(id, "id == null");
    this.type = Objects.requireNonNull(type, "type == null");
    this.machineId = machineId;
    this.status = status;
    this.source = source;
    this.time = time;
    this.data = data == null ? null : data.deepCopy();
    this.format = Objects.requireNonNull(format, "format == null");
  }

  /** The event id; the endpoint drops an event whose id it has seen recently. */
  public String id() {
    return id;
  }

  /** The event type, such as {@code io.fly.machine.starting}. */
  public String type() {
    return type;
  }

  public @Nullable String machineId() {
    return machineId;
  }

  public @Nullable String status() {
    return status;
  }

  /** The CloudEvents {@code source}; null in the older form. */
  public @Nullable String source() {
    return source;
  }

  /** When the event happened, when the sender said. */
  public @Nullable Instant time() {
    return time;
  }

  /** The event's {@code data} as raw JSON (a copy). */
  public @Nullable JsonNode data() {
    return data == null ? null : data.deepCopy();
  }

  public Format format() {
    return format;
  }

  @Override
  public String toString() {
    return "MachineEvent{id=" + id + ", type=" + type + ", machineId=" + machineId + "}";
  }
}
