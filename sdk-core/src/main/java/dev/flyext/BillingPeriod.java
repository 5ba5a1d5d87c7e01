package dev.flyext;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The UTC days Fly asks usage for, both ends included. Provisional: Fly has not published its
 * billing API; see {@code docs/billing.md}.
 */
public record BillingPeriod(LocalDate from, LocalDate to) {
  public BillingPeriod {
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "billing period ends (" + to + ") before it starts (" + from + ")");
    }
  }

  /** How many days the period covers, at least one. */
  public long days() {
    return ChronoUnit.DAYS.between(from, to) + 1;
  }

  public boolean contains(LocalDate day) {
    return !day.isBefore(from) && !day.isAfter(to);
  }
}
