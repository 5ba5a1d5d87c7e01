package dev.flyext;

import static dev.flyext.ProvisionRequestTest.refused;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyext.internal.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProvisionResultTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "1A", "A-B", "A B", "KV.URL", "ÄPFEL"})
  void refusesConfigKeyThatIsNotAnEnvironmentVariableName(String key) {
    ProvisionResult.Builder builder = ProvisionResult.builder("ext_1");

    assertThatThrownBy(() -> builder.config(key, "value"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + key + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "_PRIVATE", "AWS_ACCESS_KEY_ID", "kv_url2"})
  void acceptsEnvironmentVariableNames(String key) {
    ProvisionResult result = ProvisionResult.builder("ext_1").config(key, "v").build();

    assertThat(result.config()).containsEntry(key, "v");
  }

  @Test
  void refusesDuplicateConfigKey() {
    ProvisionResult.Builder builder = ProvisionResult.builder("ext_1").config("KV_URL", "a");

    assertThatThrownBy(() -> builder.config("KV_URL", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KV_URL")
        .hasMessageNotContaining("\"b\"");
  }

  @Test
  void refusesNullConfigValue() {
    ProvisionResult.Builder builder = ProvisionResult.builder("ext_1");
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("KV_URL", null);

    assertThatThrownBy(() -> builder.config("KV_URL", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("KV_URL");
    assertThatThrownBy(() -> builder.config(entries)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void refusesBlankId() {
    assertThatThrownBy(() -> ProvisionResult.builder(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesConfigValuesOnlyAsStrings() throws Exception {
    ProvisionResult result =
        ProvisionResult.builder("ext_1")
            .config("PORT", "6379")
            .config("TLS", "true")
            .config("EMPTY", "")
            .name("kv-prod-2")
            .flyAppName("kv-provider")
            .build();

    JsonNode json = Json.mapper().readTree(result.toJson());

    assertThat(json.get("id").textValue()).isEqualTo("ext_1");
    assertThat(json.get("name").textValue()).isEqualTo("kv-prod-2");
    assertThat(json.get("fly_app_name").textValue()).isEqualTo("kv-provider");
    assertThat(json.get("config").size()).isEqualTo(3);
    json.get("config").forEach(value -> assertThat(value.isTextual()).isTrue());
    assertThat(json.get("config").get("PORT").textValue()).isEqualTo("6379");
  }

  @Test
  void writesAnEmptyConfigObjectWhenThereIsNone() throws Exception {
    ProvisionResult result = ProvisionResult.builder("ext_1").build();

    JsonNode json = Json.mapper().readTree(result.toJson());

    assertThat(json.get("config").isObject()).isTrue();
    assertThat(json.has("name")).isFalse();
  }

  @Test
  void parsesWhatItWrote() {
    ProvisionResult result =
        ProvisionResult.builder("ext_1")
            .config("KV_URL", "rediss://kv.example.com:6379")
            .config("KV_TOKEN", "t0k\"en\\")
            .flyAppName("kv-provider")
            .build();

    ProvisionResult parsed = ProvisionResult.parse(result.toJson());

    assertThat(parsed).isEqualTo(result);
    assertThat(parsed.config().keySet()).containsExactly("KV_URL", "KV_TOKEN");
    assertThat(parsed.toJson()).isEqualTo(result.toJson());
  }

  @Test
  void parseRefusesNumberInConfig() {
    byte[] json = utf8("{\"id\":\"ext_1\",\"config\":{\"PORT\":6379}}");

    ProtocolException e = refused(() -> ProvisionResult.parse(json));

    assertThat(e.field()).isEqualTo("config");
    assertThat(e.getMessage()).contains("config.PORT").doesNotContain("6379");
  }

  @Test
  void parseRefusesConfigKeyTheBuilderWouldRefuse() {
    byte[] json = utf8("{\"id\":\"ext_1\",\"config\":{\"A-B\":\"x\"}}");

    ProtocolException e = refused(() -> ProvisionResult.parse(json));

    assertThat(e.getMessage()).contains("A-B");
  }

  @Test
  void parseRefusesBlankId() {
    byte[] json = utf8("{\"id\":\"  \",\"config\":{}}");

    ProtocolException e = refused(() -> ProvisionResult.parse(json));

    assertThat(e.getMessage()).contains("id");
  }

  @Test
  void toStringNamesConfigKeysButHidesValues() {
    ProvisionResult result =
        ProvisionResult.builder("ext_1").config("KV_TOKEN", "super-secret-token").build();

    String text = result.toString();

    assertThat(text).contains("KV_TOKEN").doesNotContain("super-secret-token");
  }

  @Test
  void configIsImmutable() {
    ProvisionResult result = ProvisionResult.builder("ext_1").config("A", "1").build();

    assertThatThrownBy(() -> result.config().put("B", "2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
