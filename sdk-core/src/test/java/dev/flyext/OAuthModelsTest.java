package dev.flyext;

import static dev.flyext.ProvisionRequestTest.refused;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The two answers Fly's OAuth server gives during single sign-on. */
class OAuthModelsTest {
  private static final String TOKEN_INFO =
      "{\"resource_owner_id\":\"Usr4k2P9\",\"user_id\":\"Usr4k2P9\",\"user_name\":\"Ada L\","
          + "\"email\":\"ada@example.com\","
          + "\"organizations\":[{\"id\":\"OrgA1b2C3\",\"role\":\"admin\"},"
          + "{\"id\":\"OrgZz9\",\"role\":\"member\"}],"
          + "\"scope\":[\"read\"],\"expires_in\":7200,"
          + "\"application\":{\"uid\":\"client-abc\"},\"created_at\":1764800000}";

  private static final String TOKEN_RESPONSE =
      "{\"access_token\":\"fo1_access_SECRET\",\"token_type\":\"Bearer\",\"expires_in\":7200,"
          + "\"refresh_token\":\"fo1_refresh_SECRET\",\"scope\":\"read\","
          + "\"created_at\":1764800000}";

  @Test
  void readsFlysTokenInfoThatHasNoActiveField() {
    TokenInfo info = TokenInfo.parse(utf8(TOKEN_INFO));

    assertThat(info.userId()).isEqualTo("Usr4k2P9");
    assertThat(info.resourceOwnerId()).isEqualTo("Usr4k2P9");
    assertThat(info.userName()).isEqualTo("Ada L");
    assertThat(info.email()).isEqualTo("ada@example.com");
    assertThat(info.scope()).containsExactly("read");
    assertThat(info.expiresIn()).isEqualTo(Duration.ofSeconds(7200));
    assertThat(info.applicationUid()).isEqualTo("client-abc");
    assertThat(info.createdAt()).isEqualTo(Instant.ofEpochSecond(1764800000));
    assertThat(info.organizations())
        .containsExactly(
            new OrganizationMembership("OrgA1b2C3", "admin"),
            new OrganizationMembership("OrgZz9", "member"));
  }

  @Test
  void findsMembershipsAndRoles() {
    TokenInfo info = TokenInfo.parse(utf8(TOKEN_INFO));

    assertThat(info.membership("OrgA1b2C3"))
        .hasValueSatisfying(m -> assertThat(m.isAdmin()).isTrue());
    assertThat(info.membership("OrgZz9"))
        .hasValueSatisfying(m -> assertThat(m.isAdmin()).isFalse());
    assertThat(info.membership("OrgOther")).isEmpty();
  }

  @Test
  void readsScopeWrittenAsOneString() {
    TokenInfo info = TokenInfo.parse(utf8("{\"user_id\":\"U1\",\"scope\":\"read write\"}"));

    assertThat(info.scope()).containsExactly("read", "write");
    assertThat(info.organizations()).isEmpty();
    assertThat(info.applicationUid()).isNull();
  }

  @Test
  void refusesTokenInfoWithoutUserId() {
    ProtocolException e = refused(() -> TokenInfo.parse(utf8("{\"email\":\"a@example.com\"}")));

    assertThat(e.field()).isEqualTo("user_id");
  }

  @Test
  void refusesOrganizationThatIsNotAnObject() {
    byte[] json = utf8("{\"user_id\":\"U1\",\"organizations\":[\"OrgA1b2C3\"]}");

    ProtocolException e = refused(() -> TokenInfo.parse(json));

    assertThat(e.field()).isEqualTo("organizations");
  }

  @Test
  void readsTokenResponse() {
    OAuthTokenResponse response = OAuthTokenResponse.parse(utf8(TOKEN_RESPONSE));

    assertThat(response.accessToken()).isEqualTo("fo1_access_SECRET");
    assertThat(response.tokenType()).isEqualTo("Bearer");
    assertThat(response.expiresIn()).isEqualTo(Duration.ofSeconds(7200));
    assertThat(response.refreshToken()).isEqualTo("fo1_refresh_SECRET");
    assertThat(response.scope()).isEqualTo("read");
    assertThat(response.createdAt()).isEqualTo(Instant.ofEpochSecond(1764800000));
  }

  @Test
  void tokenResponseToStringHidesTokens() {
    OAuthTokenResponse response = OAuthTokenResponse.parse(utf8(TOKEN_RESPONSE));

    String text = response.toString();

    assertThat(text).contains("Bearer").doesNotContain("SECRET");
  }

  @Test
  void refusesTokenResponseWithoutAccessToken() {
    byte[] json = utf8("{\"token_type\":\"Bearer\"}");

    ProtocolException e = refused(() -> OAuthTokenResponse.parse(json));

    assertThat(e.field()).isEqualTo("access_token");
  }

  @Test
  void readsExpiresInWrittenAsDigits() {
    byte[] json = utf8("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":\"60\"}");

    OAuthTokenResponse response = OAuthTokenResponse.parse(json);

    assertThat(response.expiresIn()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void refusesExpiresInTooLargeForALongAsAProtocolError() {
    byte[] json =
        utf8(
            "{\"access_token\":\"a\",\"token_type\":\"Bearer\","
                + "\"expires_in\":\"99999999999999999999999\"}");

    ProtocolException e = refused(() -> OAuthTokenResponse.parse(json));

    assertThat(e.field()).isEqualTo("expires_in");
  }
}
