package dev.flyext.servlet;

import dev.flyext.testkit.LogLeakCheck;
import java.util.List;

/**
 * Every test class of this module runs under the testkit's log capture (registered through the
 * service loader): no log line may hold the secrets below or a signature.
 */
public final class NoSecretsInLogs extends LogLeakCheck {
  public NoSecretsInLogs() {
    super(
        List.of(
            ProviderServer.SECRET,
            "prov-secret-1",
            "fuzz-provisioning-secret",
            "kv-client-secret"));
  }
}
