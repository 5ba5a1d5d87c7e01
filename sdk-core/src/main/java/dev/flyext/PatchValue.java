package dev.flyext;

import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One field of an update: absent (leave unchanged), explicitly {@code null} (clear it), or a value.
 * A plain nullable field cannot tell the first two apart.
 */
public final class PatchValue<T> {
  private static final PatchValue<?> ABSENT = new PatchValue<>(false, null);
  private static final PatchValue<?> NULL = new PatchValue<>(true, null);

  private final boolean present;
  private final @Nullable T value;

  private PatchValue(boolean present, @Nullable T value) {
    this.present = present;
    this.value = value;
  }

  @SuppressWarnings("unchecked")
  public static <T> PatchValue<T> absent() {
    return (PatchValue<T>) ABSENT;
  }

  @SuppressWarnings("unchecked")
  public static <T> PatchValue<T> ofNull() {
    return (PatchValue<T>) NULL;
  }

  public static <T> PatchValue<T> of(T value) {
    return new PatchValue<>(true, Objects.requireNonNull(value, "value == null"));
  }

  /** True when the field was in the request, as a value or as {@code null}. */
  public boolean isPresent() {
    return present;
  }

  /** True when the field was absent: the provider should leave it unchanged. */
  public boolean isAbsent() {
    return !present;
  }

  /** True when the field was sent as JSON {@code null}. */
  public boolean isNull() {
    return present && value == null;
  }

  /** True when the field was sent with a non-null value. */
  public boolean hasValue() {
    return value != null;
  }

  /**
   * The value sent.
   *
   * @throws NoSuchElementException if the field was absent or null; check {@link #hasValue()}
   */
  public T value() {
    if (value == null) {
      throw new NoSuchElementException(present ? "field was sent as null" : "field was absent");
    }
    return value;
  }

  /** The value sent, or {@code fallback} when the field was absent or null. */
  public @Nullable T orElse(@Nullable T fallback) {
    return value != null ? value : fallback;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof PatchValue<?> that
        && present == that.present
        && Objects.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(present, value);
  }

  @Override
  public String toString() {
    if (!present) {
      return "PatchValue.absent";
    }
    return value == null ? "PatchValue.null" : "PatchValue[" + value + "]";
  }
}
