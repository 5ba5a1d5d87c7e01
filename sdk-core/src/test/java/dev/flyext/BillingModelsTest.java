package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BillingModelsTest {
  private static final LocalDate DEC_1 = LocalDate.of(2025, 12, 1);

  @Test
  void refusesPeriodEndingBeforeItStarts() {
    assertThatThrownBy(() -> new BillingPeriod(DEC_1, DEC_1.minusDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2025-11-30")
        .hasMessageContaining("2025-12-01");
  }

  @Test
  void countsBothEndsOfThePeriod() {
    BillingPeriod oneDay = new BillingPeriod(DEC_1, DEC_1);
    BillingPeriod december = new BillingPeriod(DEC_1, LocalDate.of(2025, 12, 31));

    assertThat(oneDay.days()).isEqualTo(1);
    assertThat(december.days()).isEqualTo(31);
  }

  @Test
  void containsItsEndsAndNothingOutside() {
    BillingPeriod period = new BillingPeriod(DEC_1, DEC_1.plusDays(1));

    assertThat(period.contains(DEC_1)).isTrue();
    assertThat(period.contains(DEC_1.plusDays(1))).isTrue();
    assertThat(period.contains(DEC_1.minusDays(1))).isFalse();
    assertThat(period.contains(DEC_1.plusDays(2))).isFalse();
  }

  @Test
  void recordsInCentsAreUsd() {
    BillingRecord record = BillingRecord.ofCents("ext_1", DEC_1, 250);

    assertThat(record.currency()).isEqualTo("USD");
    assertThat(record.amount()).isEqualTo(250);
    assertThat(record.description()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"usd", "US", "USDT", "", "U$D"})
  void refusesCurrencyThatIsNotAnIsoCode(String currency) {
    assertThatThrownBy(() -> new BillingRecord("ext_1", DEC_1, 1, currency, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ISO 4217");
  }

  @Test
  void refusesBlankExtensionId() {
    assertThatThrownBy(() -> BillingRecord.ofCents(" ", DEC_1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extensionId");
  }

  @Test
  void refusesMissingDate() {
    assertThatThrownBy(() -> BillingRecord.ofCents("ext_1", null, 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("date");
  }
}
