package dev.flyext;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flyext.internal.QueryStrings;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standard part of sign-in, the authorization code grant, against an OAuth 2 server written by
 * others: the authorize URL it accepts, and the code exchange the client sends.
 */
class RealOAuthServerExchangeTest {
  private static final String REDIRECT = "http://127.0.0.1:9/flyio/oauth/callback";

  private final MockOAuth2Server oauth = new MockOAuth2Server();
  private final OkHttpClient browser = new OkHttpClient.Builder().followRedirects(false).build();
  private FlyApiClient client;

  @BeforeEach
  void start() {
    oauth.start(InetAddress.getLoopbackAddress(), 0);
    // The server's issuer "oauth" serves /oauth/authorize and /oauth/token, as Fly does.
    client =
        FlyApiClient.builder()
            .apiUrl(oauth.baseUrl().toString())
            .oauthClient("provider-client", "provider-secret")
            .redirectUri(REDIRECT)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    oauth.shutdown();
    browser.connectionPool().evictAll();
  }

  /**
   * Gets a code from the server's authorize endpoint for the URL the client builds. This server
   * speaks only OpenID Connect at its authorize endpoint, so the browser adds {@code openid} to the
   * scope; the code exchange under test is plain OAuth 2.
   */
  private String authorize(String state) throws Exception {
    HttpUrl built = HttpUrl.get(client.authorizeUrl(state));
    HttpUrl authorize =
        built
            .newBuilder()
            .setQueryParameter("scope", built.queryParameter("scope") + " openid")
            .build();
    try (Response response =
        browser.newCall(new Request.Builder().url(authorize).build()).execute()) {
      assertThat(response.code()).isEqualTo(302);
      URI back = URI.create(response.header("Location"));
      assertThat(back.toString()).startsWith(REDIRECT);
      Map<String, String> query = QueryStrings.parse(back.getRawQuery());
      assertThat(query).containsEntry("state", state);
      return query.get("code");
    }
  }

  @Test
  void exchangesACodeIssuedByARealAuthorizationServer() throws Exception {
    String code = authorize("state-123");

    OAuthTokenResponse token = client.exchangeCode(code);

    assertThat(token.tokenType()).isEqualToIgnoringCase("Bearer");
    assertThat(token.accessToken()).isNotBlank();
    assertThat(token.expiresIn()).isNotNull();
    assertThat(token.toString()).doesNotContain(token.accessToken());
  }

  @Test
  void sendsTheStandardFormTheServerAccepts() throws Exception {
    String code = authorize("state-456");

    client.exchangeCode(code);

    RecordedRequest authorize = oauth.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest token = oauth.takeRequest(5, TimeUnit.SECONDS);
    assertThat(authorize.getPath()).startsWith("/oauth/authorize");
    Map<String, String> form = QueryStrings.parse(token.getBody().readUtf8());
    assertThat(token.getPath()).isEqualTo("/oauth/token");
    assertThat(form)
        .containsEntry("grant_type", "authorization_code")
        .containsEntry("code", code)
        .containsEntry("redirect_uri", REDIRECT)
        .containsEntry("client_id", "provider-client")
        .containsEntry("client_secret", "provider-secret");
  }
}
