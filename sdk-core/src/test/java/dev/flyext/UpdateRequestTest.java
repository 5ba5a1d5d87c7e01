package dev.flyext;

import static dev.flyext.ProvisionRequestTest.refused;
import static dev.flyext.Vectors.PROVISION_TIME;
import static dev.flyext.Vectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class UpdateRequestTest {
  private static final String SIGNED =
      "\"url\":\"https://kv.example.com/flyio/extensions/ext_7hq2m\","
          + "\"nonce\":\"u-1\",\"timestamp\":1764800000";

  @Test
  void tellsAbsentFromNullFromValue() {
    byte[] body =
        utf8(
            "{\"name\":\"kv-renamed\",\"primary_region\":null,\"read_regions\":[\"fra\"],"
                + SIGNED
                + "}");

    UpdateRequest update = UpdateRequest.parse("ext_7hq2m", body);

    assertThat(update.name().hasValue()).isTrue();
    assertThat(update.name().value()).isEqualTo("kv-renamed");
    assertThat(update.primaryRegion().isPresent()).isTrue();
    assertThat(update.primaryRegion().isNull()).isTrue();
    assertThat(update.primaryRegion().hasValue()).isFalse();
    assertThat(update.ipAddress().isAbsent()).isTrue();
    assertThat(update.ipAddress().isNull()).isFalse();
    assertThat(update.readRegions().value()).containsExactly("fra");
    assertThat(update.options().isAbsent()).isTrue();
  }

  @Test
  void readsSignedFieldsAndRouteId() {
    byte[] body = utf8("{" + SIGNED + "}");

    UpdateRequest update = UpdateRequest.parse("ext_7hq2m", body);

    assertThat(update.extensionId()).isEqualTo("ext_7hq2m");
    assertThat(update.url()).isEqualTo("https://kv.example.com/flyio/extensions/ext_7hq2m");
    assertThat(update.nonce()).isEqualTo("u-1");
    assertThat(update.timestamp()).isEqualTo(PROVISION_TIME);
    assertThat(update.name().isAbsent()).isTrue();
  }

  @Test
  void keepsOptionsAndUnknownFieldsRaw() {
    byte[] body = utf8("{\"options\":{\"accelerate\":true},\"plan\":\"pro\"," + SIGNED + "}");

    UpdateRequest update = UpdateRequest.parse("ext_7hq2m", body);

    assertThat(update.options().value().get("accelerate").booleanValue()).isTrue();
    assertThat(update.extraFields()).containsOnlyKeys("plan");
    assertThat(update.extraFields().get("plan").textValue()).isEqualTo("pro");
  }

  @Test
  void refusesMistypedPatchField() {
    byte[] body = utf8("{\"read_regions\":\"fra\"," + SIGNED + "}");

    ProtocolException e = refused(() -> UpdateRequest.parse("ext_7hq2m", body));

    assertThat(e.field()).isEqualTo("read_regions");
  }

  @Test
  void refusesUpdateWithoutNonce() {
    byte[] body =
        utf8(
            "{\"url\":\"https://kv.example.com/flyio/extensions/ext_7hq2m\","
                + "\"timestamp\":1764800000}");

    ProtocolException e = refused(() -> UpdateRequest.parse("ext_7hq2m", body));

    assertThat(e.field()).isEqualTo("nonce");
  }

  @Test
  void patchValueRefusesToGiveAValueItDoesNotHave() {
    PatchValue<String> absent = PatchValue.absent();
    PatchValue<String> cleared = PatchValue.ofNull();

    assertThatThrownBy(absent::value)
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("absent");
    assertThatThrownBy(cleared::value)
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("null");
    assertThat(absent.orElse("fallback")).isEqualTo("fallback");
    assertThat(PatchValue.of("x").orElse("fallback")).isEqualTo("x");
  }

  @Test
  void patchValuesCompareByStateAndValue() {
    PatchValue<List<String>> one = PatchValue.of(List.of("a"));

    assertThat(one).isEqualTo(PatchValue.of(List.of("a"))).isNotEqualTo(PatchValue.of(List.of()));
    assertThat(PatchValue.<String>absent()).isNotEqualTo(PatchValue.<String>ofNull());
  }
}
