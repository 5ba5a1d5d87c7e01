package dev.flyext.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyext.RequestSigner;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * What one check sends through: it remembers the last exchange, so that a failure can say what was
 * sent and what came back, and it provisions the fresh extensions a check needs. Not thread-safe;
 * one per check run.
 */
final class Probe {
  private final Conformance.Settings settings;
  private @Nullable FlyCall lastCall;
  private @Nullable FlyReply lastReply;

  Probe(Conformance.Settings settings) {
    this.settings = settings;
  }

  FlySimulator fly() {
    return settings.fly();
  }

  Conformance.Settings settings() {
    return settings;
  }

  /** A Fly id no provider has seen: {@code ext_conf} and 12 random hex digits. */
  String newFlyId() {
    return "ext_conf" + RequestSigner.randomNonce().substring(0, 12);
  }

  FlyReply send(FlyCall call) throws IOException {
    lastCall = call;
    lastReply = null;
    FlyReply reply = call.send();
    lastReply = reply;
    return reply;
  }

  /** Provisions a fresh extension and answers the id the provider gave it. */
  String provisioned() throws IOException {
    return provisioned(fly().provision(newFlyId()));
  }

  /** Sends {@code call}, which must provision, and answers the id the provider gave. */
  String provisioned(FlyCall call) throws IOException {
    return requireProvisioned(send(call), "a valid provision");
  }

  /** Checks a provisioning answer: 2xx, a JSON object with an {@code id} and a {@code config}. */
  String requireProvisioned(FlyReply reply, String what) {
    if (!reply.isSuccess()) {
      throw fail(what + " answered " + reply.status() + "; expected 200 with id and config");
    }
    JsonNode json = reply.jsonIfAny().orElse(null);
    if (json == null || !json.isObject()) {
      throw fail(what + " answered 2xx, but not with a JSON object");
    }
    JsonNode id = json.get("id");
    if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
      throw fail(what + " answered no \"id\" string; Fly calls /extensions/{id} with it later");
    }
    JsonNode config = json.get("config");
    if (config == null || !config.isObject()) {
      throw fail(
          what + " answered no \"config\" object; Fly sets it as the app's secrets, even if empty");
    }
    return id.textValue();
  }

  /** A failure showing the last exchange. */
  Failed fail(String reason) {
    return new Failed(reason, lastSent(), lastGot());
  }

  /** A skip: the provider does not offer something optional. */
  Skipped skip(String reason) {
    return new Skipped(reason);
  }

  @Nullable String lastSent() {
    return lastCall == null ? null : lastCall.describe();
  }

  @Nullable String lastGot() {
    if (lastCall == null) {
      return null;
    }
    return lastReply == null ? "no answer" : lastReply.describe();
  }

  /** Ends a check as failed. */
  static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final @Nullable String sent;
    private final @Nullable String got;

    Failed(String reason, @Nullable String sent, @Nullable String got) {
      super(reason, null, false, false);
      this.sent = sent;
      this.got = got;
    }

    @Nullable String sent() {
      return sent;
    }

    @Nullable String got() {
      return got;
    }

    @Override
    public String getMessage() {
      String message = super.getMessage();
      return message == null ? "failed" : message;
    }
  }

  /** Ends a check as skipped. */
  static final class Skipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skipped(String reason) {
      super(reason, null, false, false);
    }

    @Override
    public String getMessage() {
      String message = super.getMessage();
      return message == null ? "skipped" : message;
    }
  }
}
