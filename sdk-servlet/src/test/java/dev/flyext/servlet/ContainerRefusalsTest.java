package dev.flyext.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status and body of an error dispatch, without a container. */
class ContainerRefusalsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void takesTheContainersErrorStatus() {
    assertThat(ContainerRefusals.status(400)).isEqualTo(400);
    assertThat(ContainerRefusals.status(431)).isEqualTo(431);
    assertThat(ContainerRefusals.status(599)).isEqualTo(599);
  }

  @Test
  void answers500WhenTheStatusIsMissingOrNotAnError() {
    assertThat(ContainerRefusals.status(null)).isEqualTo(500);
    assertThat(ContainerRefusals.status("404")).isEqualTo(500);
    assertThat(ContainerRefusals.status(200)).isEqualTo(500);
    assertThat(ContainerRefusals.status(302)).isEqualTo(500);
    assertThat(ContainerRefusals.status(600)).isEqualTo(500);
  }

  @Test
  void writesAnErrorAndAReasonAsJsonForEveryErrorStatus() throws IOException {
    for (int status = 400; status <= 599; status++) {
      JsonNode json = JSON.readTree(FlyExtensionServlet.errorBody(status));

      List<String> fields = new ArrayList<>();
      json.fieldNames().forEachRemaining(fields::add);
      assertThat(fields).as("fields for %d", status).containsExactly("error", "reason");
      assertThat(json.get("error").asText()).as("message for %d", status).isNotBlank();
    }
  }

  @Test
  void tellsServerFailuresFromRefusals() {
    assertThat(ContainerRefusals.message(418)).isEqualTo("the server refused this request");
    assertThat(ContainerRefusals.message(599))
        .isEqualTo("the server failed to handle this request");
    assertThat(ContainerRefusals.message(431)).contains("headers are too large");
  }
}
