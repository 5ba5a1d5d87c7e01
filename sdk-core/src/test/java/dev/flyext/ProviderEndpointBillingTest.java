package dev.flyext;

import static dev.flyext.Fly.json;
import static dev.flyext.Vectors.PROVISIONING_SECRET;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.PUBLIC_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The provisional billing route (G). */
class ProviderEndpointBillingTest {
  private static final LocalDate DEC_1 = LocalDate.of(2025, 12, 1);
  private static final LocalDate DEC_2 = LocalDate.of(2025, 12, 2);

  private final MutableClock clock = MutableClock.at(PROVISION_TIME);
  private final RecordingHandler handler = new RecordingHandler();
  private final Fly fly = new Fly(clock);
  private final ProviderEndpoint endpoint =
      ProviderEndpoint.builder()
          .handler(handler)
          .provisioningSecret(PROVISIONING_SECRET)
          .publicBaseUrl(PUBLIC_BASE_URL)
          .clock(clock)
          .build();

  private ProviderRequest billing(Map<String, String> period) {
    return fly.signedQuery("GET", "/billing", period);
  }

  private static Map<String, String> period(String from, String to) {
    Map<String, String> period = new LinkedHashMap<>();
    period.put("from", from);
    period.put("to", to);
    return period;
  }

  @Test
  void answersRecordsForThePeriod() {
    handler.onBilling =
        period ->
            List.of(
                new BillingRecord("ext_7hq2m", DEC_1, 3, "USD", "starter plan"),
                BillingRecord.ofCents("ext_7hq2m", DEC_2, 4));

    ProviderResponse response = endpoint.handle(billing(period("2025-12-01", "2025-12-02")));

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("from").textValue()).isEqualTo("2025-12-01");
    assertThat(body.get("to").textValue()).isEqualTo("2025-12-02");
    JsonNode records = body.get("records");
    assertThat(records).hasSize(2);
    assertThat(records.get(0).get("extension_id").textValue()).isEqualTo("ext_7hq2m");
    assertThat(records.get(0).get("date").textValue()).isEqualTo("2025-12-01");
    assertThat(records.get(0).get("amount").isIntegralNumber()).isTrue();
    assertThat(records.get(0).get("amount").longValue()).isEqualTo(3);
    assertThat(records.get(0).get("currency").textValue()).isEqualTo("USD");
    assertThat(records.get(0).get("description").textValue()).isEqualTo("starter plan");
    assertThat(records.get(1).has("description")).isFalse();
    assertThat(handler.billed).containsExactly(new BillingPeriod(DEC_1, DEC_2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"from", "to"})
  void refusesAMissingDateNamingIt(String missing) {
    Map<String, String> period = period("2025-12-01", "2025-12-02");
    period.remove(missing);

    ProviderResponse response = endpoint.handle(billing(period));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue()).contains("`" + missing + "`");
    assertThat(handler.billed).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025-13-01", "2025-12-1", "12/01/2025", "yesterday", ""})
  void refusesAnInvalidDate(String from) {
    ProviderResponse response = endpoint.handle(billing(period(from, "2025-12-02")));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue()).contains("YYYY-MM-DD");
    assertThat(handler.billed).isEmpty();
  }

  @Test
  void refusesAPeriodEndingBeforeItStarts() {
    ProviderResponse response = endpoint.handle(billing(period("2025-12-02", "2025-12-01")));

    assertThat(response.status()).isEqualTo(400);
    assertThat(json(response).get("error").textValue()).contains("before");
    assertThat(handler.billed).isEmpty();
  }

  @Test
  void refusesAPeriodLongerThanTheLimit() {
    LocalDate to = DEC_1.plusDays(ProviderEndpoint.MAX_BILLING_DAYS);

    ProviderResponse response = endpoint.handle(billing(period("2025-12-01", to.toString())));

    assertThat(response.status()).isEqualTo(400);
    assertThat(handler.billed).isEmpty();
  }

  @Test
  void answers501WhenTheHandlerDoesNotReportBilling() {
    ProviderResponse response = endpoint.handle(billing(period("2025-12-01", "2025-12-02")));

    assertThat(response.status()).isEqualTo(501);
    assertThat(json(response).get("error").textValue()).contains("billing");
  }

  @Test
  void answers500WhenTheHandlerReportsADayOutsideThePeriod() {
    handler.onBilling = period -> List.of(BillingRecord.ofCents("ext_1", DEC_2.plusDays(1), 1));

    ProviderResponse response = endpoint.handle(billing(period("2025-12-01", "2025-12-02")));

    assertThat(response.status()).isEqualTo(500);
  }

  @Test
  void refusesAnUnsignedBillingCall() {
    handler.onBilling = period -> List.of();
    ProviderRequest request =
        ProviderRequest.builder("GET", "/billing")
            .rawQuery("from=2025-12-01&to=2025-12-02")
            .build();

    ProviderResponse response = endpoint.handle(request);

    assertThat(response.status()).isEqualTo(401);
    assertThat(handler.billed).isEmpty();
  }

  @Test
  void servesBillingAtAConfiguredPath() {
    ProviderEndpoint custom =
        ProviderEndpoint.builder()
            .handler(handler)
            .provisioningSecret(PROVISIONING_SECRET)
            .publicBaseUrl(PUBLIC_BASE_URL)
            .clock(clock)
            .billingPath("/usage/daily")
            .build();
    handler.onBilling = period -> List.of();

    ProviderResponse response =
        custom.handle(fly.signedQuery("GET", "/usage/daily", period("2025-12-01", "2025-12-01")));

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).get("records")).isEmpty();
  }
}
