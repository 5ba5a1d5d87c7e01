package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.DashboardRedirect;
import dev.flyext.DashboardRequest;
import dev.flyext.DashboardRole;
import dev.flyext.FlyApiClient;
import dev.flyext.ProviderEndpoint;
import dev.flyext.ProviderHandler;
import dev.flyext.ProvisionRequest;
import dev.flyext.ProvisionResult;
import dev.flyext.Resource;
import dev.flyext.ResourceRequest;
import dev.flyext.SignedInUser;
import dev.flyext.UpdateRequest;
import dev.flyext.testkit.FlyApiStandIn;
import dev.flyext.testkit.FlyUser;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dashboard sign-in from the sso route through Fly's OAuth to the provider's dashboard, over real
 * sockets: the container serves the provider, the stand-in plays Fly, OkHttp plays the browser.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
class DashboardSignInEndToEndTest {
  private static final String OWNER = "OrgA1b2C3";

  @Parameter Container container;

  private FlyApiStandIn fly;
  private Container.Running provider;
  private FlyApiClient client;
  private String base;
  private final List<SignedInUser> signedIn = new CopyOnWriteArrayList<>();
  private final Browser browser = new Browser();

  @BeforeEach
  void start() throws Exception {
    fly =
        FlyApiStandIn.builder()
            .oauthClient("kv-client", "kv-client-secret")
            .user(
                FlyUser.of("Usr4k2P9", "Ada Lovelace", "ada@customer.fly.io")
                    .withOrganization(OWNER, "admin"))
            .start();

    provider = container.start(new Container.Deployment("", "/flyio/*", this::servlet));
    base = "http://127.0.0.1:" + provider.port() + "/flyio";
  }

  private FlyExtensionServlet servlet(int port) {
    client =
        FlyApiClient.builder()
            .apiUrl(fly.url())
            .oauthClient("kv-client", "kv-client-secret")
            .redirectUri("http://127.0.0.1:" + port + "/flyio/oauth/callback")
            .build();
    ProviderEndpoint endpoint =
        ProviderEndpoint.builder()
            .handler(new DashboardHandler())
            .provisioningSecret("prov-secret-1")
            .publicBaseUrl("http://127.0.0.1:" + port + "/flyio")
            .dashboardSignIn(client)
            .build();
    return new FlyExtensionServlet(endpoint);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    provider.close();
    fly.close();
    browser.close();
  }

  @Test
  void signsAFlyUserIntoTheDashboard() throws Exception {
    Answer sso = browser.get(base + "/extensions/ext_7hq2m/sso");
    assertThat(sso.status).isEqualTo(302);
    assertThat(sso.location).startsWith(fly.url() + "/oauth/authorize?");
    assertThat(sso.setCookies)
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("flyext_sso_")
                    .contains("HttpOnly")
                    .contains("SameSite=Lax")
                    .doesNotContain("Secure"));

    Answer authorize = browser.get(sso.location);
    assertThat(authorize.status).isEqualTo(302);
    assertThat(authorize.location).startsWith(base + "/oauth/callback?code=");

    Answer callback = browser.get(authorize.location);
    assertThat(callback.status).isEqualTo(302);
    assertThat(callback.location).isEqualTo("/dashboard/ext_7hq2m");
    assertThat(signedIn)
        .singleElement()
        .satisfies(
            user -> {
              assertThat(user.userId()).isEqualTo("Usr4k2P9");
              assertThat(user.userName()).isEqualTo("Ada Lovelace");
              assertThat(user.organizationId()).isEqualTo(OWNER);
              assertThat(user.role()).isEqualTo(DashboardRole.ADMIN);
              assertThat(user.extensionId()).isEqualTo("ext_7hq2m");
            });

    Answer again = browser.get(base + "/extensions/ext_7hq2m/sso");
    assertThat(again.status).isEqualTo(302);
    assertThat(again.location).isEqualTo("/dashboard/ext_7hq2m?existing");
    assertThat(fly.tokenRequests()).isEqualTo(1);
  }

  @Test
  void refusesACallbackWithoutState() throws Exception {
    Answer callback = browser.get(base + "/oauth/callback?code=abc");

    assertThat(callback.status).isEqualTo(400);
    assertThat(callback.body).contains("missing_state");
    assertThat(fly.tokenRequests()).isZero();
  }

  @Test
  void refusesAForgedStateBeforeAnyExchange() throws Exception {
    Answer sso = browser.get(base + "/extensions/ext_7hq2m/sso");
    Answer authorize = browser.get(sso.location);
    String forged =
        authorize.location.replaceFirst("state=[^&]+", "state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

    Answer callback = browser.get(forged);

    assertThat(callback.status).isEqualTo(400);
    assertThat(callback.body).contains("foreign_state");
    assertThat(callback.location).isNull();
    assertThat(fly.tokenRequests()).isZero();
    assertThat(signedIn).isEmpty();
  }

  @Test
  void refusesAStateStartedInAnotherBrowser() throws Exception {
    Answer sso = browser.get(base + "/extensions/ext_7hq2m/sso");
    Answer authorize = browser.get(sso.location);

    try (Browser victim = new Browser()) {
      Answer callback = victim.get(authorize.location);

      assertThat(callback.status).isEqualTo(400);
      assertThat(callback.body).contains("foreign_state");
    }
    assertThat(fly.tokenRequests()).isZero();
  }

  @Test
  void refusesAUserOutsideTheOwningOrganization() throws Exception {
    fly.user(
        FlyUser.of("UsrOther", "Eve", "eve@customer.fly.io").withOrganization("OrgElse", "admin"));

    Answer callback = signIn();

    assertThat(callback.status).isEqualTo(403);
    assertThat(callback.body).contains("foreign_organization");
    assertThat(signedIn).isEmpty();
  }

  @Test
  void refusesATokenIssuedToAnotherClient() throws Exception {
    fly.applicationUid("someone-elses-client");

    Answer callback = signIn();

    assertThat(callback.status).isEqualTo(403);
    assertThat(callback.body).contains("wrong_client");
    assertThat(signedIn).isEmpty();
  }

  @Test
  void anHtmlTokenEndpointIsAFailedExchange() throws Exception {
    fly.tokenEndpointAnswersHtml(true);

    Answer callback = signIn();

    assertThat(callback.status).isEqualTo(400);
    assertThat(callback.body).contains("exchange_failed");
    assertThat(callback.contentType).startsWith("application/json");
    assertThat(signedIn).isEmpty();
  }

  @Test
  void aReplayedCodeIsRefused() throws Exception {
    Answer first = signIn();
    assertThat(first.status).isEqualTo(302);
    String usedCode = HttpUrl.get(lastCallback).queryParameter("code");

    Answer sso = browser.get(base + "/extensions/ext_other/sso");
    Answer authorize = browser.get(sso.location);
    String replayed = authorize.location.replaceFirst("code=[^&]+", "code=" + usedCode);
    Answer callback = browser.get(replayed);

    assertThat(callback.status).isEqualTo(400);
    assertThat(callback.body).contains("exchange_failed");
    assertThat(signedIn).hasSize(1);
  }

  @Test
  void aReplayedCallbackIsRefused() throws Exception {
    Answer sso = browser.get(base + "/extensions/ext_7hq2m/sso");
    Answer authorize = browser.get(sso.location);
    List<String> stateCookies = browser.cookieHeader();
    Answer first = browser.get(authorize.location);
    assertThat(first.status).isEqualTo(302);

    Answer replay = browser.getWithCookies(authorize.location, stateCookies);

    assertThat(replay.status).isEqualTo(400);
    assertThat(replay.body).containsAnyOf("replayed_state", "foreign_state");
    assertThat(signedIn).hasSize(1);
  }

  @Test
  void anUnknownExtensionDoesNotStartASignIn() throws Exception {
    Answer sso = browser.get(base + "/extensions/ext_unknown/sso");

    assertThat(sso.status).isEqualTo(404);
    assertThat(sso.location).isNull();
  }

  private String lastCallback;

  private Answer signIn() throws Exception {
    Answer sso = browser.get(base + "/extensions/ext_7hq2m/sso");
    Answer authorize = browser.get(sso.location);
    lastCallback = authorize.location;
    return browser.get(authorize.location);
  }

  private final class DashboardHandler implements ProviderHandler {
    private final Map<String, String> owners = Map.of("ext_7hq2m", OWNER, "ext_other", OWNER);

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Resource> get(ResourceRequest request) {
      return Optional.empty();
    }

    @Override
    public Resource update(UpdateRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(ResourceRequest request) {}

    @Override
    public Optional<String> owningOrganization(String extensionId) {
      return Optional.ofNullable(owners.get(extensionId));
    }

    @Override
    public Optional<URI> existingSession(DashboardRequest request) {
      String session = request.cookie("kv_session");
      return ("ok-" + request.extensionId()).equals(session)
          ? Optional.of(URI.create("/dashboard/" + request.extensionId() + "?existing"))
          : Optional.empty();
    }

    @Override
    public DashboardRedirect signedIn(SignedInUser user) {
      signedIn.add(user);
      return DashboardRedirect.to("/dashboard/" + user.extensionId())
          .withCookie("kv_session=ok-" + user.extensionId() + "; Path=/; HttpOnly; SameSite=Lax");
    }
  }

  private record Answer(
      int status, String location, List<String> setCookies, String body, String contentType) {}

  /** A browser that keeps cookies by name and never follows redirects by itself. */
  private static final class Browser implements AutoCloseable {
    private final Map<String, Cookie> cookies = new ConcurrentHashMap<>();
    private final OkHttpClient http =
        new OkHttpClient.Builder()
            .followRedirects(false)
            .cookieJar(
                new CookieJar() {
                  @Override
                  public void saveFromResponse(HttpUrl url, List<Cookie> received) {
                    for (Cookie cookie : received) {
                      if (cookie.expiresAt() < System.currentTimeMillis()) {
                        cookies.remove(cookie.name());
                      } else {
                        cookies.put(cookie.name(), cookie);
                      }
                    }
                  }

                  @Override
                  public List<Cookie> loadForRequest(HttpUrl url) {
                    List<Cookie> matching = new ArrayList<>();
                    for (Cookie cookie : cookies.values()) {
                      if (cookie.matches(url)) {
                        matching.add(cookie);
                      }
                    }
                    return matching;
                  }
                })
            .build();

    Answer get(String url) throws Exception {
      return send(new Request.Builder().url(url).build());
    }

    List<String> cookieHeader() {
      List<String> pairs = new ArrayList<>();
      cookies.values().forEach(c -> pairs.add(c.name() + "=" + c.value()));
      return pairs;
    }

    Answer getWithCookies(String url, List<String> pairs) throws Exception {
      OkHttpClient bare = http.newBuilder().cookieJar(CookieJar.NO_COOKIES).build();
      Request request =
          new Request.Builder().url(url).header("Cookie", String.join("; ", pairs)).build();
      try (Response response = bare.newCall(request).execute()) {
        return answer(response);
      }
    }

    private Answer send(Request request) throws Exception {
      try (Response response = http.newCall(request).execute()) {
        return answer(response);
      }
    }

    private static Answer answer(Response response) throws Exception {
      return new Answer(
          response.code(),
          response.header("Location"),
          response.headers("Set-Cookie"),
          response.body().string(),
          String.valueOf(response.header("Content-Type")));
    }

    @Override
    public void close() {
      http.connectionPool().evictAll();
    }
  }
}
