package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyext.SignatureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Assertions every answer of the servlet must pass. */
final class Answers {
  private Answers() {}

  /** JSON in UTF-8, as the servlet writes it; containers spell it without the space. */
  static void assertJsonContentType(Reply reply) {
    String type = reply.header("Content-Type");
    assertThat(type).as("Content-Type of %s", reply).isNotNull();
    assertThat(type.replace(" ", "").toLowerCase(Locale.ROOT))
        .as("Content-Type of %s", reply)
        .isEqualTo("application/json;charset=utf-8");
    assertThat(reply.text()).as("body of %s", reply).doesNotContainIgnoringCase("<html");
  }

  /** A JSON error answer with {@code status} and a readable {@code error} message. */
  static JsonNode assertJsonError(Reply reply, int status) {
    assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
    assertJsonContentType(reply);
    JsonNode json = reply.json();
    assertThat(json.isObject()).as("body of %s", reply).isTrue();
    assertThat(json.path("error").isTextual()).as("error of %s", reply).isTrue();
    assertThat(json.path("error").asText()).isNotBlank();
    return json;
  }

  /** A 401 whose body is exactly {@code error}, {@code reason} and {@code docs}. */
  static void assertRefused(Reply reply, SignatureException.Reason reason) {
    JsonNode json = assertJsonError(reply, 401);
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyInAnyOrder("error", "reason", "docs");
    assertThat(json.get("reason").asText()).isEqualTo(reason.code());
    assertThat(json.get("docs").asText()).isEqualTo(reason.troubleshootingUrl());
  }
}
