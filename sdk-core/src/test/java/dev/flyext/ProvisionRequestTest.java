package dev.flyext;

import static dev.flyext.Vectors.PROVISION_BODY;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.internal.Json;
import java.io.IOException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProvisionRequestTest {

  @Test
  void readsEveryFieldOfTheVectorBody() {
    ProvisionRequest request = ProvisionRequest.parse(utf8(PROVISION_BODY));

    assertThat(request.name()).isEqualTo("kv-prod");
    assertThat(request.id()).isEqualTo("ext_7hq2m");
    assertThat(request.organizationId()).isEqualTo("OrgA1b2C3");
    assertThat(request.organizationName()).isEqualTo("Acme Rockets");
    assertThat(request.userEmail()).isEqualTo("u7x9@customer.fly.io");
    assertThat(request.userId()).isEqualTo("Usr4k2P9");
    assertThat(request.userRole()).isEqualTo("admin");
    assertThat(request.primaryRegion()).isEqualTo("ams");
    assertThat(request.readRegions()).containsExactly("cdg", "fra");
    assertThat(request.ipAddress()).isEqualTo("fdaa:0:1:a7b:1::2");
    assertThat(request.url()).isEqualTo("https://kv.example.com/flyio/extensions");
    assertThat(request.nonce()).isEqualTo("4f1c9a7e2b3d4c5e6f708192a3b4c5d6");
    assertThat(request.timestamp()).isEqualTo(PROVISION_TIME);
    assertThat(request.options()).isNull();
    assertThat(request.extraFields()).isEmpty();
  }

  @Test
  void leavesOptionalFieldsEmptyWhenAbsent() {
    ObjectNode body = vector();
    body.remove("primary_region");
    body.remove("read_regions");
    body.remove("ip_address");

    ProvisionRequest request = ProvisionRequest.parse(bytes(body));

    assertThat(request.primaryRegion()).isNull();
    assertThat(request.readRegions()).isEmpty();
    assertThat(request.ipAddress()).isNull();
  }

  @Test
  void keepsUnknownFieldsAsRawJson() {
    ObjectNode body = vector();
    body.put("email", "old@customer.fly.io");
    body.putObject("plan").put("id", "starter").put("monthly_cents", 500);

    ProvisionRequest request = ProvisionRequest.parse(bytes(body));

    assertThat(request.extraFields()).containsOnlyKeys("email", "plan");
    assertThat(request.extraFields().get("email").textValue()).isEqualTo("old@customer.fly.io");
    assertThat(request.extraFields().get("plan").get("monthly_cents").intValue()).isEqualTo(500);
  }

  @Test
  void keepsOptionsRawWithTheirTypes() {
    ObjectNode body = vector();
    ObjectNode options = body.putObject("options");
    options.put("public", true);
    options.put("dimension_count", 1536);
    options.putObject("website").put("domain_name", "assets.example.com");

    ProvisionRequest request = ProvisionRequest.parse(bytes(body));

    JsonNode read = request.options();
    assertThat(read).isEqualTo(options);
    assertThat(read.get("public").isBoolean()).isTrue();
    assertThat(read.get("dimension_count").isInt()).isTrue();
    assertThat(request.extraFields()).doesNotContainKey("options");
  }

  @Test
  void handsOutCopiesOfOptions() {
    ObjectNode body = vector();
    body.putObject("options").put("public", true);
    ProvisionRequest request = ProvisionRequest.parse(bytes(body));

    ((ObjectNode) request.options()).put("public", false);

    assertThat(request.options().get("public").booleanValue()).isTrue();
  }

  @Test
  void readsTimestampWrittenAsStringOfDigits() {
    ObjectNode body = vector();
    body.put("timestamp", "1764800000");

    ProvisionRequest request = ProvisionRequest.parse(bytes(body));

    assertThat(request.timestamp()).isEqualTo(PROVISION_TIME);
  }

  @Test
  void refusesMillisecondTimestampSayingSo() {
    ObjectNode body = vector();
    body.put("timestamp", PROVISION_TIME.toEpochMilli());

    ProtocolException e = refused(() -> ProvisionRequest.parse(bytes(body)));

    assertThat(e.field()).isEqualTo("timestamp");
    assertThat(e.getMessage()).contains("milliseconds");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "name",
        "id",
        "organization_id",
        "organization_name",
        "user_id",
        "user_email",
        "user_role",
        "url",
        "nonce",
        "timestamp"
      })
  void refusesBodyWithoutRequiredField(String field) {
    ObjectNode body = vector();
    body.remove(field);

    ProtocolException e = refused(() -> ProvisionRequest.parse(bytes(body)));

    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).contains("`" + field + "`").contains("required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "id", "organization_id", "user_id"})
  void refusesEmptyIdentifyingField(String field) {
    ObjectNode body = vector();
    body.put(field, "");

    ProtocolException e = refused(() -> ProvisionRequest.parse(bytes(body)));

    assertThat(e.field()).isEqualTo(field);
  }

  @Test
  void refusesNumberForNameWithoutQuotingIt() {
    ObjectNode body = vector();
    body.put("name", 987654321);

    ProtocolException e = refused(() -> ProvisionRequest.parse(bytes(body)));

    assertThat(e.field()).isEqualTo("name");
    assertThat(e.getMessage()).contains("must be a string").doesNotContain("987654321");
  }

  @Test
  void refusesStringForReadRegionsWithoutQuotingIt() {
    ObjectNode body = vector();
    body.put("read_regions", "cdg-sekrit");

    ProtocolException e = refused(() -> ProvisionRequest.parse(bytes(body)));

    assertThat(e.field()).isEqualTo("read_regions");
    assertThat(e.getMessage()).contains("array of strings").doesNotContain("cdg-sekrit");
  }

  @Test
  void refusesNonStringArrayElementWithoutQuotingIt() {
    ObjectNode body = vector();
    body.putArray("read_regions").add("cdg").add(424242);

    ProtocolException e = refused(() -> ProvisionRequest.parse(bytes(body)));

    assertThat(e.field()).isEqualTo("read_regions");
    assertThat(e.getMessage()).contains("element").doesNotContain("424242");
  }

  @Test
  void refusesObjectForTimestamp() {
    ObjectNode body = vector();
    body.putObject("timestamp").put("seconds", 1764800000);

    ProtocolException e = refused(() -> ProvisionRequest.parse(bytes(body)));

    assertThat(e.field()).isEqualTo("timestamp");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"name\":\"kv-prod\",",
        "{\"name\": kv-sekrit-token}",
        "{\"name\":\"kv-prod\"} trailing",
        "{\"name\":\"kv-prod\"} {}",
        "\u00ff\u00fe",
        ""
      })
  void refusesMalformedJsonWithoutQuotingIt(String json) {
    ProtocolException e = refused(() -> ProvisionRequest.parse(utf8(json)));

    assertThat(e.getMessage()).startsWith("provisioning request").doesNotContain("sekrit");
    assertThat(e.getMessage()).doesNotContain("trailing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"name\":\"kv\"}]", "\"kv-prod\"", "42", "null", "true"})
  void refusesTopLevelThatIsNotAnObject(String json) {
    ProtocolException e = refused(() -> ProvisionRequest.parse(utf8(json)));

    assertThat(e.getMessage()).contains("JSON object");
  }

  @Test
  void refusesDuplicateKeys() {
    String json =
        PROVISION_BODY.replace(
            "{\"name\":\"kv-prod\",", "{\"name\":\"kv-prod\",\"name\":\"kv-evil\",");

    ProtocolException e = refused(() -> ProvisionRequest.parse(utf8(json)));

    assertThat(e.getMessage()).containsIgnoringCase("duplicate").doesNotContain("kv-evil");
  }

  @Test
  void refusesDeeplyNestedJson() {
    String nested = "[".repeat(1000) + "]".repeat(1000);
    String json = PROVISION_BODY.replace("{\"name\"", "{\"options\":" + nested + ",\"name\"");

    ProtocolException e = refused(() -> ProvisionRequest.parse(utf8(json)));

    assertThat(e.getMessage()).contains("limit");
  }

  @Test
  void toStringNamesTheRequestButNotTheUser() {
    ProvisionRequest request = ProvisionRequest.parse(utf8(PROVISION_BODY));

    String text = request.toString();

    assertThat(text).contains("ext_7hq2m").doesNotContain("u7x9@customer.fly.io");
  }

  static ObjectNode vector() {
    try {
      return (ObjectNode) Json.mapper().readTree(PROVISION_BODY);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] bytes(JsonNode node) {
    return Json.write(generator -> Json.writeNode(generator, node));
  }

  static ProtocolException refused(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ProtocolException.class);
    return (ProtocolException) thrown;
  }
}
