package dev.flyext.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in's OAuth side on its own, spoken to over HTTP as a provider and a browser would. */
class FlyApiStandInOAuthTest {
  private static final String CLIENT_ID = "client-kv-1";
  private static final String CLIENT_SECRET = "client-secret-kv-1";
  private static final String REDIRECT = "http://127.0.0.1:9/flyio/oauth/callback";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private FlyApiStandIn fly;

  @BeforeEach
  void start() throws Exception {
    fly =
        FlyApiStandIn.builder()
            .oauthClient(CLIENT_ID, CLIENT_SECRET)
            .user(
                FlyUser.of("usr_ada", "Ada", "ada@customer.fly.io")
                    .withOrganization("org_acme", "admin")
                    .withOrganization("org_side", "member"))
            .start();
  }

  @AfterEach
  void stop() {
    fly.close();
  }

  @Test
  void authorizeRedirectsBackWithACodeAndTheState() throws Exception {
    HttpResponse<String> answer = get(authorizeUrl("st/ate+1"), null);

    assertThat(answer.statusCode()).isEqualTo(302);
    URI location = URI.create(answer.headers().firstValue("Location").orElseThrow());
    assertThat(location.toString()).startsWith(REDIRECT + "?code=");
    Map<String, String> query = query(location.getRawQuery());
    assertThat(query.get("code")).isNotBlank();
    assertThat(query.get("state")).isEqualTo("st/ate+1");
  }

  @Test
  void authorizeRefusesAnUnknownClientOrAnotherScope() throws Exception {
    String unknown = authorizeUrl("s").replace(CLIENT_ID, "someone-else");
    String scope = authorizeUrl("s").replace("scope=read", "scope=write");

    assertThat(get(unknown, null).statusCode()).isEqualTo(400);
    assertThat(get(scope, null).statusCode()).isEqualTo(400);
  }

  @Test
  void exchangesACodeOnceForABearerToken() throws Exception {
    String code = code();

    HttpResponse<String> first = token(code, CLIENT_SECRET, REDIRECT);
    HttpResponse<String> second = token(code, CLIENT_SECRET, REDIRECT);

    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode token = JSON.readTree(first.body());
    assertThat(token.get("access_token").asText()).isNotBlank();
    assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(token.get("expires_in").asInt()).isEqualTo(7200);
    assertThat(token.get("scope").asText()).isEqualTo("read");
    assertThat(token.get("refresh_token").asText()).isNotBlank();
    assertThat(second.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(second.body()).get("error").asText()).isEqualTo("invalid_grant");
    assertThat(fly.tokenRequests()).isEqualTo(2);
  }

  @Test
  void refusesTheWrongClientSecretAndAnotherRedirectUri() throws Exception {
    HttpResponse<String> wrongSecret = token(code(), "not-the-secret", REDIRECT);
    HttpResponse<String> otherRedirect = token(code(), CLIENT_SECRET, REDIRECT + "/other");

    assertThat(wrongSecret.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrongSecret.body()).get("error").asText()).isEqualTo("invalid_client");
    assertThat(otherRedirect.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(otherRedirect.body()).get("error").asText())
        .isEqualTo("invalid_grant");
  }

  @Test
  void tokenInfoNamesTheUserTheirOrganizationsAndTheApplication() throws Exception {
    String accessToken = accessToken();

    HttpResponse<String> answer = get(fly.url() + "/oauth/token/info", accessToken);

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode info = JSON.readTree(answer.body());
    assertThat(info.get("user_id").asText()).isEqualTo("usr_ada");
    assertThat(info.get("resource_owner_id").asText()).isEqualTo("usr_ada");
    assertThat(info.get("email").asText()).isEqualTo("ada@customer.fly.io");
    assertThat(info.get("organizations").toString())
        .isEqualTo(
            "[{\"id\":\"org_acme\",\"role\":\"admin\"},{\"id\":\"org_side\",\"role\":\"member\"}]");
    assertThat(info.get("scope").toString()).isEqualTo("[\"read\"]");
    assertThat(info.get("application").get("uid").asText()).isEqualTo(CLIENT_ID);
    assertThat(info.has("active")).isFalse();
  }

  @Test
  void tokenInfoCanReportAnotherApplicationOrNone() throws Exception {
    fly.applicationUid("another-client");
    String other = accessToken();
    fly.applicationUid(null);
    String none = accessToken();

    JsonNode otherInfo = JSON.readTree(get(fly.url() + "/oauth/token/info", other).body());
    JsonNode noneInfo = JSON.readTree(get(fly.url() + "/oauth/token/info", none).body());

    assertThat(otherInfo.get("application").get("uid").asText()).isEqualTo("another-client");
    assertThat(noneInfo.has("application")).isFalse();
  }

  @Test
  void aNewUserSignsInFromNowOnWhileOldTokensKeepTheirs() throws Exception {
    String before = accessToken();
    fly.user(
        FlyUser.of("usr_bob", "Bob", "bob@customer.fly.io").withOrganization("org_x", "member"));
    String after = accessToken();

    JsonNode beforeInfo = JSON.readTree(get(fly.url() + "/oauth/token/info", before).body());
    JsonNode afterInfo = JSON.readTree(get(fly.url() + "/oauth/token/info", after).body());

    assertThat(beforeInfo.get("user_id").asText()).isEqualTo("usr_ada");
    assertThat(afterInfo.get("user_id").asText()).isEqualTo("usr_bob");
    assertThat(afterInfo.get("organizations").get(0).get("role").asText()).isEqualTo("member");
  }

  @Test
  void tokenInfoRefusesAnUnknownToken() throws Exception {
    HttpResponse<String> answer = get(fly.url() + "/oauth/token/info", "not-a-token");

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("invalid_token");
  }

  @Test
  void theTokenEndpointCanAnswerAnHtmlPage() throws Exception {
    fly.tokenEndpointAnswersHtml(true);

    HttpResponse<String> answer = token(code(), CLIENT_SECRET, REDIRECT);

    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
  }

  @Test
  void consentPlaysTheBrowserWithoutHttp() {
    URI back = fly.consent(URI.create(authorizeUrl("s1")));

    assertThat(back.toString()).startsWith(REDIRECT + "?code=").endsWith("&state=s1");
    assertThatThrownBy(() -> fly.consent(URI.create(authorizeUrl("s1").replace("code", "token"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("response_type");
  }

  private String authorizeUrl(String state) {
    return fly.url()
        + "/oauth/authorize?client_id="
        + CLIENT_ID
        + "&response_type=code&redirect_uri="
        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
        + "&scope=read&state="
        + URLEncoder.encode(state, StandardCharsets.UTF_8);
  }

  private String code() throws Exception {
    String location = get(authorizeUrl("s"), null).headers().firstValue("Location").orElseThrow();
    return query(URI.create(location).getRawQuery()).get("code");
  }

  private String accessToken() throws Exception {
    return JSON.readTree(token(code(), CLIENT_SECRET, REDIRECT).body())
        .get("access_token")
        .asText();
  }

  private HttpResponse<String> token(String code, String clientSecret, String redirectUri)
      throws Exception {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("client_id", CLIENT_ID);
    form.put("client_secret", clientSecret);
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(fly.url() + "/oauth/token"))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url, @Nullable String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      parameters.put(
          pair.substring(0, equals),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }
}
