package dev.flyext;

import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What one extension cost on one UTC day, in minor currency units (cents for USD). Provisional: Fly
 * has not published its billing API; see {@code docs/billing.md}.
 *
 * @param extensionId the id the provider answered at provisioning
 * @param date the UTC day
 * @param amount the charge in minor units of {@code currency}; never fractional
 * @param currency an ISO 4217 code in upper case, such as {@code USD}
 * @param description a short line for the invoice, or null
 */
public record BillingRecord(
    String extensionId,
    LocalDate date,
    long amount,
    String currency,
    @Nullable String description) {
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public BillingRecord {
    Objects.requireNonNull(extensionId, "extensionId == null");
    Objects.requireNonNull(date, "date == null");
    Objects.requireNonNull(currency, "currency == null");
    if (extensionId.isBlank()) {
      throw new IllegalArgumentException("billing record extensionId is blank");
    }
    if (!CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException(
          "currency \"" + currency + "\" is not an ISO 4217 code such as USD");
    }
  }

  /** A record in US cents with no description. */
  public static BillingRecord ofCents(String extensionId, LocalDate date, long cents) {
    return new BillingRecord(extensionId, date, cents, "USD", null);
  }
}
