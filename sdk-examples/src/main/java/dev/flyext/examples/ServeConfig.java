package dev.flyext.examples;

import dev.flyext.ProviderEndpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The settings of {@code serve}, read from environment variables (passed in as a map, so tests do
 * not depend on the machine's environment). {@link #toString()} names no secret.
 *
 * <p>{@code webhookSecret} and {@code providerName} are for the webhooks the provider sends Fly,
 * {@code oauthClientId} and {@code oauthClientSecret} for dashboard sign-in; {@code flyApiUrl} says
 * where Fly's API is, so that {@code serve} can be pointed at a local stand-in.
 */
record ServeConfig(
    String provisioningSecret,
    String webhookSecret,
    String oauthClientId,
    String oauthClientSecret,
    String providerName,
    String flyApiUrl,
    String publicUrl,
    String host,
    int port) {

  static final String DEFAULT_FLY_API_URL = "https://api.fly.io";
  static final int DEFAULT_PORT = 8080;

  /** All interfaces: what a Fly Machine needs for Fly's proxy to reach the app. */
  static final String DEFAULT_HOST = "0.0.0.0";

  /** The variables without a default, in the order a refusal names them. */
  static final List<String> REQUIRED =
      List.of(
          "FLY_PROVISIONING_SECRET",
          "FLY_WEBHOOK_SECRET",
          "FLY_OAUTH_CLIENT_ID",
          "FLY_OAUTH_CLIENT_SECRET",
          "FLY_PROVIDER_NAME");

  /** A configuration {@code serve} cannot start with; the message is one line for the user. */
  static final class InvalidException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidException(String message) {
      super(message);
    }
  }

  /**
   * Reads the settings. A variable that is set but blank counts as missing.
   *
   * @throws InvalidException naming every missing variable at once, or the first bad value
   */
  static ServeConfig fromEnvironment(Map<String, String> env) throws InvalidException {
    Map<String, String> given = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : REQUIRED) {
      String value = value(env, name);
      if (value == null) {
        missing.add(name);
      } else {
        given.put(name, value);
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidException(
          "missing environment variable"
              + (missing.size() == 1 ? " " : "s ")
              + String.join(", ", missing)
              + "; see README");
    }

    int port = port(value(env, "PORT"));
    String flyApiUrl = httpUrl("FLY_API_URL", value(env, "FLY_API_URL"), DEFAULT_FLY_API_URL);
    String publicUrl =
        httpUrl("PUBLIC_URL", value(env, "PUBLIC_URL"), "http://localhost:" + port + "/flyio");
    String host = value(env, "HOST");

    return new ServeConfig(
        given.get("FLY_PROVISIONING_SECRET"),
        given.get("FLY_WEBHOOK_SECRET"),
        given.get("FLY_OAUTH_CLIENT_ID"),
        given.get("FLY_OAUTH_CLIENT_SECRET"),
        given.get("FLY_PROVIDER_NAME"),
        flyApiUrl,
        publicUrl,
        host != null ? host : DEFAULT_HOST,
        port);
  }

  /**
   * The OAuth redirect URI: the callback below the public URL, which must be registered with Fly
   * byte for byte.
   */
  String redirectUri() {
    String base =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    return base + ProviderEndpoint.DEFAULT_OAUTH_CALLBACK_PATH;
  }

  private static @Nullable String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static int port(@Nullable String value) throws InvalidException {
    if (value == null) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidException(
        "PORT must be a port number from 1 to 65535, was \"" + value + "\"; see README");
  }

  private static String httpUrl(String name, @Nullable String value, String fallback)
      throws InvalidException {
    if (value == null) {
      return fallback;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return value;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidException(
        name
            + " must be an absolute http or https URL such as https://kv.example.com/flyio, was \""
            + value
            + "\"; see README");
  }

  @Override
  public String toString() {
    return "ServeConfig{providerName="
        + providerName
        + ", flyApiUrl="
        + flyApiUrl
        + ", publicUrl="
        + publicUrl
        + ", host="
        + host
        + ", port="
        + port
        + ", secrets not shown}";
  }
}
