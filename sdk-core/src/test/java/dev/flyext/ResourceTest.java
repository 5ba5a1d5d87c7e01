package dev.flyext;

import static dev.flyext.ProvisionRequestTest.refused;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceTest {

  @Test
  void parsesWhatItWroteIncludingExtraFields() {
    ObjectNode limits = JsonNodeFactory.instance.objectNode().put("max_bytes", 1 << 30);
    Resource resource =
        Resource.builder("ext_7hq2m", ResourceStatus.ERROR)
            .name("kv-prod")
            .message("quota exceeded")
            .plan("starter")
            .primaryRegion("ams")
            .readRegions(List.of("cdg", "fra"))
            .config("KV_URL", "rediss://kv.example.com")
            .organizationId("OrgA1b2C3")
            .userId("Usr4k2P9")
            .extraField("dashboard_url", TextNode.valueOf("https://kv.example.com/d/ext_7hq2m"))
            .extraField("limits", limits)
            .build();

    Resource parsed = Resource.parse(resource.toJson());

    assertThat(parsed).isEqualTo(resource);
    assertThat(parsed.extraFields().get("limits").get("max_bytes").intValue()).isEqualTo(1 << 30);
    assertThat(parsed.toJson()).isEqualTo(resource.toJson());
  }

  @Test
  void writesOnlyWhatIsSet() {
    Resource resource = Resource.builder("ext_1", ResourceStatus.PENDING).build();

    String json = new String(resource.toJson(), StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("{\"id\":\"ext_1\",\"status\":\"pending\"}");
  }

  @Test
  void keepsUnknownFieldsWhenParsing() {
    byte[] json = utf8("{\"id\":\"ext_1\",\"status\":\"sleeping\",\"wake_url\":\"w\"}");

    Resource resource = Resource.parse(json);

    assertThat(resource.status()).isEqualTo(ResourceStatus.SLEEPING);
    assertThat(resource.extraFields()).containsOnlyKeys("wake_url");
  }

  @Test
  void refusesUnknownStatus() {
    byte[] json = utf8("{\"id\":\"ext_1\",\"status\":\"melting\"}");

    ProtocolException e = refused(() -> Resource.parse(json));

    assertThat(e.field()).isEqualTo("status");
  }

  @Test
  void refusesExtraFieldThatShadowsAKnownOne() {
    Resource.Builder builder = Resource.builder("ext_1", ResourceStatus.READY);

    assertThatThrownBy(() -> builder.extraField("status", TextNode.valueOf("ready")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status");
  }

  @Test
  void derivesAChangedCopyWithoutTouchingTheOriginal() {
    Resource ready = Resource.builder("ext_1", ResourceStatus.READY).plan("starter").build();

    Resource sleeping = ready.toBuilder().status(ResourceStatus.SLEEPING).build();

    assertThat(sleeping.plan()).isEqualTo("starter");
    assertThat(sleeping.status()).isEqualTo(ResourceStatus.SLEEPING);
    assertThat(ready.status()).isEqualTo(ResourceStatus.READY);
  }
}
