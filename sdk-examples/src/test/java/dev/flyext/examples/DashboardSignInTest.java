package dev.flyext.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyext.testkit.FlyUser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dashboard sign-in through the example, end to end against the stand-in, and the page it leads to.
 * The SDK's own sign-in rules are tested thoroughly in sdk-servlet; these check the example's part:
 * the owning organization, its session cookie and its page.
 */
@Timeout(60)
class DashboardSignInTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunningProvider provider;

  @BeforeEach
  void start() throws Exception {
    provider = RunningProvider.start(RunningProvider.member("Ada Lovelace"), Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  @Test
  void signsInThroughFlyAndOpensTheDashboardOfThatExtension() throws Exception {
    JsonNode provisioned = provider.provision("ext_dash1", "kv-dash", List.of());

    HttpResponse<String> callback = provider.signIn("ext_dash1");
    Map<String, String> cookies = RunningProvider.cookies(callback);
    HttpResponse<String> page = provider.browse("/dashboard/ext_dash1", cookies);

    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    assertThat(RunningProvider.location(callback)).isEqualTo("/dashboard/ext_dash1");
    assertThat(callback.headers().allValues("Set-Cookie"))
        .anySatisfy(
            cookie ->
                assertThat(cookie)
                    .startsWith("kv_session=")
                    .contains("; Path=/;", "; HttpOnly", "; SameSite=Lax")
                    .doesNotContain("Secure"));
    assertThat(cookies).containsOnlyKeys("kv_session");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.body())
        .contains(
            "<tr><th>Signed in as</th><td>Ada Lovelace</td></tr>",
            "<tr><th>Organization</th><td>Acme Rockets (OrgA1b2C3)</td></tr>",
            "<tr><th>Role</th><td>admin</td></tr>",
            "<tr><th>Database</th><td>kv-dash</td></tr>",
            "<tr><th>Plan</th><td>free</td></tr>",
            "<tr><th>Status</th><td>ready</td></tr>",
            "<tr><th>Primary region</th><td>ams</td></tr>",
            "<tr><th>Read regions</th><td>none</td></tr>")
        .doesNotContain(provisioned.path("config").path("KV_TOKEN").asText());
  }

  @Test
  void theDashboardRequiresTheSessionCookieOfThatExtension() throws Exception {
    provider.provision("ext_dash1", "kv-one", List.of());
    provider.provision("ext_dash2", "kv-two", List.of());
    Map<String, String> cookies = RunningProvider.cookies(provider.signIn("ext_dash1"));

    HttpResponse<String> none = provider.browse("/dashboard/ext_dash1", Map.of());
    HttpResponse<String> madeUp =
        provider.browse("/dashboard/ext_dash1", Map.of("kv_session", "made-up"));
    HttpResponse<String> other = provider.browse("/dashboard/ext_dash2", cookies);
    HttpResponse<String> unknown = provider.browse("/dashboard/ext_never", Map.of());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body())
        .contains("flyctl ext kv dashboard", "href=\"/flyio/extensions/ext_dash1/sso\"")
        .doesNotContain("kv-one");
    assertThat(madeUp.statusCode()).isEqualTo(401);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).doesNotContain("kv-two", "kv-one");
    assertThat(unknown.statusCode()).isEqualTo(401);
  }

  @Test
  void aSecondVisitWithTheSessionGoesStraightToTheDashboard() throws Exception {
    provider.provision("ext_dash1", "kv-dash", List.of());
    Map<String, String> cookies = RunningProvider.cookies(provider.signIn("ext_dash1"));
    int tokenRequests = provider.fly.tokenRequests();

    HttpResponse<String> again =
        provider.browse(ExampleServer.MOUNT + "/extensions/ext_dash1/sso", cookies);

    assertThat(again.statusCode()).isEqualTo(302);
    assertThat(RunningProvider.location(again)).isEqualTo("/dashboard/ext_dash1");
    assertThat(provider.fly.tokenRequests()).isEqualTo(tokenRequests);
  }

  @Test
  void aUserOutsideTheOwningOrganizationGetsNoSession() throws Exception {
    provider.provision("ext_dash1", "kv-dash", List.of());
    provider.fly.user(
        FlyUser.of("UsrOther1", "Mallory", "m@customer.fly.io")
            .withOrganization("OrgElsewhere", "admin"));

    HttpResponse<String> callback = provider.signIn("ext_dash1");

    assertThat(callback.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(callback.body()).path("reason").asText())
        .isEqualTo("foreign_organization");
    assertThat(RunningProvider.cookies(callback)).doesNotContainKey("kv_session");
  }

  @Test
  void escapesEveryValueThePageShows() throws Exception {
    provider.fly.user(RunningProvider.member("<script>alert('x')</script> & \"Co\""));
    provider.provision("ext_dash1", "kv-<b>bold</b>", List.of());
    Map<String, String> cookies = RunningProvider.cookies(provider.signIn("ext_dash1"));

    HttpResponse<String> page = provider.browse("/dashboard/ext_dash1", cookies);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(
            "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;</td>",
            "<td>kv-&lt;b&gt;bold&lt;/b&gt;</td>")
        .doesNotContain("<script>", "<b>");
  }
}
