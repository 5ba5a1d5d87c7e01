package dev.flyext.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flyext.BillingPeriod;
import dev.flyext.BillingRecord;
import dev.flyext.DashboardRedirect;
import dev.flyext.DashboardRequest;
import dev.flyext.DashboardRole;
import dev.flyext.ProviderException;
import dev.flyext.ProvisionRequest;
import dev.flyext.ProvisionResult;
import dev.flyext.Resource;
import dev.flyext.ResourceRequest;
import dev.flyext.ResourceStatus;
import dev.flyext.SignedInUser;
import dev.flyext.TokenInfo;
import dev.flyext.UpdateRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KvHandlerTest {
  private static final LocalDate DAY_ONE = LocalDate.of(2026, 12, 1);

  private final DayClock clock = new DayClock(DAY_ONE);
  private final KvHandler handler = new KvHandler(clock);

  @Test
  void provisionAnswersAUrlAndAFreshTokenAndRecordsTheOwner() {
    ProvisionResult first = handler.provision(provision("ext_1", "{\"plan\":\"pro\"}"));
    ProvisionResult second = handler.provision(provision("ext_2", null));

    assertThat(first.id()).isEqualTo("ext_1");
    assertThat(first.config()).containsOnlyKeys("KV_URL", "KV_TOKEN");
    assertThat(first.config().get("KV_URL")).isEqualTo("https://kv.example.test/db/ext_1");
    assertThat(first.config().get("KV_TOKEN")).startsWith("kvt_").hasSizeGreaterThan(30);
    assertThat(first.config().get("KV_TOKEN")).isNotEqualTo(second.config().get("KV_TOKEN"));
    Resource resource = handler.get(ResourceRequest.of("ext_1", Map.of())).orElseThrow();
    assertThat(resource.name()).isEqualTo("kv-ext_1");
    assertThat(resource.organizationId()).isEqualTo("OrgA1b2C3");
    assertThat(resource.plan()).isEqualTo("pro");
    assertThat(resource.primaryRegion()).isEqualTo("ams");
    assertThat(resource.readRegions()).containsExactly("cdg", "fra");
    assertThat(handler.get(ResourceRequest.of("ext_2", Map.of())).orElseThrow().plan())
        .isEqualTo("free");
  }

  @Test
  void aDatabaseWithoutReadReplicasIsReadyAtOnce() {
    handler.provision(provision("ext_1", null, List.of()));

    assertThat(status("ext_1")).isEqualTo(ResourceStatus.READY);
  }

  @Test
  void aDatabaseWithReadReplicasIsPendingThenReady() throws Exception {
    try (KvHandler quick = new KvHandler(clock, null, false, Duration.ofMillis(200))) {
      quick.provision(provision("ext_1", null));

      assertThat(quick.get(ResourceRequest.of("ext_1", Map.of())).orElseThrow().status())
          .isEqualTo(ResourceStatus.PENDING);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (quick.get(ResourceRequest.of("ext_1", Map.of())).orElseThrow().status()
              == ResourceStatus.PENDING
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(quick.get(ResourceRequest.of("ext_1", Map.of())).orElseThrow().status())
          .isEqualTo(ResourceStatus.READY);
    }
  }

  @Test
  void anUpdateWhilePendingKeepsItPending() {
    handler.provision(provision("ext_1", null));

    Resource updated = handler.update(update("ext_1", "\"options\":{\"plan\":\"pro\"}"));

    assertThat(updated.status()).isEqualTo(ResourceStatus.PENDING);
  }

  @Test
  void theOwningOrganizationIsTheOneRecordedAtProvisioning() {
    handler.provision(provision("ext_1", null));

    assertThat(handler.owningOrganization("ext_1")).contains("OrgA1b2C3");
    assertThat(handler.owningOrganization("ext_unknown")).isEmpty();
  }

  @Test
  void signedInSetsAnOpaqueHttpOnlyLaxSessionCookieForTheWholeSite() {
    handler.provision(provision("ext_1", null));

    DashboardRedirect redirect = handler.signedIn(user("ext_1", "Ada"));

    assertThat(redirect.location()).hasToString("/dashboard/ext_1");
    assertThat(redirect.setCookies())
        .singleElement()
        .asString()
        .matches("kv_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=28800; HttpOnly; SameSite=Lax")
        .doesNotContain("Usr4k2P9", "ext_1", "Ada");
  }

  @Test
  void theSessionCookieIsSecureWhenThePublicUrlIsHttps() {
    try (KvHandler https = new KvHandler(clock, null, true, KvHandler.REPLICA_SETUP)) {
      https.provision(provision("ext_1", null));

      DashboardRedirect redirect = https.signedIn(user("ext_1", "Ada"));

      assertThat(redirect.setCookies()).singleElement().asString().endsWith("; Secure");
    }
  }

  @Test
  void aSessionOpensOnlyTheExtensionItWasSignedInFor() {
    handler.provision(provision("ext_1", null));
    handler.provision(provision("ext_2", null));
    Map<String, String> cookies = cookies(handler.signedIn(user("ext_1", "Ada")));

    assertThat(handler.dashboard("ext_1", cookies)).isInstanceOf(KvHandler.Dashboard.Shown.class);
    assertThat(handler.dashboard("ext_2", cookies))
        .isInstanceOf(KvHandler.Dashboard.OtherExtension.class);
    assertThat(handler.existingSession(DashboardRequest.of("ext_1", cookies)))
        .contains(URI.create("/dashboard/ext_1"));
    assertThat(handler.existingSession(DashboardRequest.of("ext_2", cookies))).isEmpty();
  }

  @Test
  void anUnknownMissingOrExpiredSessionIsSignedOut() {
    handler.provision(provision("ext_1", null));
    Map<String, String> cookies = cookies(handler.signedIn(user("ext_1", "Ada")));

    assertThat(handler.dashboard("ext_1", Map.of()))
        .isInstanceOf(KvHandler.Dashboard.SignedOut.class);
    assertThat(handler.dashboard("ext_1", Map.of("kv_session", "made-up")))
        .isInstanceOf(KvHandler.Dashboard.SignedOut.class);
    clock.day = DAY_ONE.plusDays(1);
    assertThat(handler.dashboard("ext_1", cookies))
        .isInstanceOf(KvHandler.Dashboard.SignedOut.class);
    assertThat(handler.existingSession(DashboardRequest.of("ext_1", cookies))).isEmpty();
  }

  @Test
  void aSessionEndsWhenTheDatabaseMovesToAnotherOrganizationOrIsDeleted() {
    handler.provision(provision("ext_1", null));
    handler.provision(provision("ext_2", null));
    Map<String, String> first = cookies(handler.signedIn(user("ext_1", "Ada")));
    Map<String, String> second = cookies(handler.signedIn(user("ext_2", "Ada")));

    handler.update(update("ext_1", "\"organization_id\":\"OrgOther\""));
    handler.delete(ResourceRequest.of("ext_2", Map.of()));

    assertThat(handler.dashboard("ext_1", first)).isInstanceOf(KvHandler.Dashboard.SignedOut.class);
    assertThat(handler.dashboard("ext_2", second))
        .isInstanceOf(KvHandler.Dashboard.SignedOut.class);
  }

  @Test
  void theDashboardShowsTheUserAndTheDatabaseButNoToken() {
    handler.provision(provision("ext_1", "{\"plan\":\"pro\"}"));
    Map<String, String> cookies = cookies(handler.signedIn(user("ext_1", "Ada")));

    KvHandler.Dashboard dashboard = handler.dashboard("ext_1", cookies);

    assertThat(dashboard)
        .isInstanceOfSatisfying(
            KvHandler.Dashboard.Shown.class,
            shown -> {
              assertThat(shown.session().displayName()).isEqualTo("Ada");
              assertThat(shown.session().role()).isEqualTo(DashboardRole.ADMIN);
              assertThat(shown.organizationName()).isEqualTo("Acme Rockets");
              assertThat(shown.resource().plan()).isEqualTo("pro");
              assertThat(shown.resource().config()).isEmpty();
            });
  }

  @Test
  void refusesAnUnknownPlanWithAMessageForTheUser() {
    assertThatThrownBy(() -> handler.provision(provision("ext_1", "{\"plan\":\"gold\"}")))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("options.plan must be one of free, pro");
  }

  @Test
  void updateLeavesAbsentFieldsAndClearsNullOnes() {
    handler.provision(provision("ext_1", "{\"plan\":\"pro\"}"));

    Resource updated =
        handler.update(update("ext_1", "\"primary_region\":null,\"read_regions\":[\"lhr\"]"));

    assertThat(updated.name()).isEqualTo("kv-ext_1");
    assertThat(updated.plan()).isEqualTo("pro");
    assertThat(updated.primaryRegion()).isNull();
    assertThat(updated.readRegions()).containsExactly("lhr");
    assertThat(handler.get(ResourceRequest.of("ext_1", Map.of()))).contains(updated);
  }

  @Test
  void clearedOptionsGoBackToTheDefaultPlan() {
    handler.provision(provision("ext_1", "{\"plan\":\"pro\"}"));

    Resource updated = handler.update(update("ext_1", "\"options\":null"));

    assertThat(updated.plan()).isEqualTo("free");
  }

  @Test
  void optionsWithoutAPlanLeaveThePlan() {
    handler.provision(provision("ext_1", "{\"plan\":\"pro\"}"));

    Resource updated = handler.update(update("ext_1", "\"options\":{\"eviction\":true}"));

    assertThat(updated.plan()).isEqualTo("pro");
  }

  @Test
  void refusesToClearTheName() {
    handler.provision(provision("ext_1", null));

    assertThatThrownBy(() -> handler.update(update("ext_1", "\"name\":null")))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith("name cannot be cleared");
  }

  @Test
  void updateOfAnUnknownIdIsNotFound() {
    assertThatThrownBy(() -> handler.update(update("ext_missing", "\"name\":\"x\"")))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void deleteRemovesAndToleratesAnUnknownId() {
    handler.provision(provision("ext_1", null));

    handler.delete(ResourceRequest.of("ext_1", Map.of()));
    handler.delete(ResourceRequest.of("ext_1", Map.of()));
    handler.delete(ResourceRequest.of("ext_never", Map.of()));

    assertThat(handler.get(ResourceRequest.of("ext_1", Map.of()))).isEmpty();
  }

  @Test
  void billsEachDayADatabaseExistedOn() {
    handler.provision(provision("ext_1", null));
    clock.day = DAY_ONE.plusDays(1);
    handler.provision(provision("ext_2", null));
    clock.day = DAY_ONE.plusDays(2);
    handler.delete(ResourceRequest.of("ext_1", Map.of()));
    clock.day = DAY_ONE.plusDays(3);

    List<BillingRecord> records =
        handler.billing(new BillingPeriod(DAY_ONE.minusDays(1), DAY_ONE.plusDays(5)));

    assertThat(records)
        .extracting(r -> r.extensionId() + " " + r.date() + " " + r.amount() + " " + r.currency())
        .containsExactlyInAnyOrder(
            "ext_1 2026-12-01 3 USD",
            "ext_1 2026-12-02 3 USD",
            "ext_1 2026-12-03 3 USD",
            "ext_2 2026-12-02 3 USD",
            "ext_2 2026-12-03 3 USD",
            "ext_2 2026-12-04 3 USD");
  }

  @AfterEach
  void stopHandler() {
    handler.close();
  }

  private ResourceStatus status(String id) {
    return handler.get(ResourceRequest.of(id, Map.of())).orElseThrow().status();
  }

  private static SignedInUser user(String extensionId, String name) {
    String json =
        "{\"user_id\":\"Usr4k2P9\",\"user_name\":\""
            + name
            + "\",\"email\":\"u7x9@customer.fly.io\","
            + "\"organizations\":[{\"id\":\"OrgA1b2C3\",\"role\":\"admin\"}]}";
    TokenInfo info = TokenInfo.parse(json.getBytes(StandardCharsets.UTF_8));
    return new SignedInUser(
        extensionId,
        "OrgA1b2C3",
        DashboardRole.ADMIN,
        info.userId(),
        info.userName(),
        info.email(),
        info);
  }

  /** The cookies a browser sends after {@code redirect}: name and value of each. */
  private static Map<String, String> cookies(DashboardRedirect redirect) {
    Map<String, String> cookies = new HashMap<>();
    for (String setCookie : redirect.setCookies()) {
      String pair = setCookie.split(";", 2)[0];
      int equals = pair.indexOf('=');
      cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return cookies;
  }

  private static ProvisionRequest provision(String flyId, @Nullable String options) {
    return provision(flyId, options, List.of("cdg", "fra"));
  }

  private static ProvisionRequest provision(
      String flyId, @Nullable String options, List<String> readRegions) {
    String regions =
        readRegions.stream().map(region -> "\"" + region + "\"").collect(Collectors.joining(","));
    String json =
        "{\"name\":\"kv-"
            + flyId
            + "\",\"id\":\""
            + flyId
            + "\",\"organization_id\":\"OrgA1b2C3\",\"organization_name\":\"Acme Rockets\","
            + "\"user_id\":\"Usr4k2P9\",\"user_email\":\"u7x9@customer.fly.io\","
            + "\"user_role\":\"admin\",\"primary_region\":\"ams\",\"read_regions\":["
            + regions
            + "],"
            + (options == null ? "" : "\"options\":" + options + ",")
            + "\"url\":\"https://kv.example.com/flyio/extensions\",\"nonce\":\"n1\","
            + "\"timestamp\":1764800000}";
    return ProvisionRequest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static UpdateRequest update(String id, String fields) {
    String json =
        "{"
            + fields
            + ",\"url\":\"https://kv.example.com/flyio/extensions/"
            + id
            + "\",\"nonce\":\"n2\",\"timestamp\":1764800000}";
    return UpdateRequest.parse(id, json.getBytes(StandardCharsets.UTF_8));
  }

  /** A clock at noon UTC of a day the test moves. */
  private static final class DayClock extends Clock {
    LocalDate day;

    DayClock(LocalDate day) {
      this.day = day;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    }
  }
}
