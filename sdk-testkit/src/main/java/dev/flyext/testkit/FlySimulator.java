package dev.flyext.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.MachineEvent;
import dev.flyext.RequestSigner;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Plays Fly.io toward a provider: builds each call Fly makes (provision, status, update, delete,
 * machine events in both shapes, billing, and the browser's dashboard sign-in), signed as Fly signs
 * it, and sends it over HTTP. Use it in a provider's own tests:
 *
 * <pre>{@code
 * FlySimulator fly = FlySimulator.builder()
 *     .baseUrl("http://127.0.0.1:" + port + "/flyio")  // where requests go
 *     .secret(PROVISIONING_SECRET)
 *     .build();
 *
 * FlyReply provisioned = fly.provision("ext_1").send();
 * FlyReply stale = fly.status("ext_1").timestamp(Instant.now().minusSeconds(600)).send();
 * }</pre>
 *
 * <p>Each method returns a {@link FlyCall} that can be changed before {@link FlyCall#send()}, to
 * send a wrong timestamp, nonce, url, secret or signature on purpose.
 *
 * <p>Thread-safe; one simulator may serve many tests. It holds one JDK {@link HttpClient} that
 * never uses a proxy and never follows redirects. The secret never appears in what it reports.
 */
public final class FlySimulator {
  /** How long a call waits for its answer, by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The organization of the default provisioning request. */
  public static final String ORGANIZATION_ID = "OrgTest1a2b";

  /** The user of the default provisioning request. */
  public static final String USER_ID = "UsrTest9x8y";

  /** The machine of default machine events. */
  public static final String MACHINE_ID = "3d8d9d1f0e6e89";

  static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String basePath;
  private final String publicUrl;
  private final String secret;
  private final RequestSigner signer;
  private final Clock clock;
  private final Duration timeout;
  private final String billingPath;
  private final HttpClient http;

  private FlySimulator(Builder builder, String baseUrl, String publicUrl, String secret) {
    this.baseUrl = baseUrl;
    this.basePath = URI.create(baseUrl).getRawPath();
    this.publicUrl = publicUrl;
    this.secret = secret;
    this.signer = RequestSigner.of(secret);
    this.clock = builder.clock;
    this.timeout = builder.timeout;
    this.billingPath = builder.billingPath;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(builder.connectTimeout)
            .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where requests are sent, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The base URL written into the signed {@code url}, without a trailing slash. */
  public String publicUrl() {
    return publicUrl;
  }

  /** The signed {@code url} of {@code routedPath}, such as {@code /extensions}. */
  public String publicUrl(String routedPath) {
    return publicUrl + routedPath;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * The fields of a typical provisioning request for Fly's id {@code flyId}, without the signed
   * three: name, id, organization, user and {@code primary_region}. Change them and pass them to
   * {@link #provision(ObjectNode)}.
   */
  public static ObjectNode provisionFields(String flyId) {
    Objects.requireNonNull(flyId, "flyId == null");
    ObjectNode fields = JSON.createObjectNode();
    fields.put("name", "test-" + flyId.toLowerCase(Locale.ROOT).replace('_', '-'));
    fields.put("id", flyId);
    fields.put("organization_id", ORGANIZATION_ID);
    fields.put("organization_name", "Test Organization");
    fields.put("user_id", USER_ID);
    fields.put("user_email", "usrtest9x8y@customer.fly.io");
    fields.put("user_role", "admin");
    fields.put("primary_region", "ams");
    return fields;
  }

  /** {@code POST {base}/extensions} with {@link #provisionFields} for {@code flyId}. */
  public FlyCall provision(String flyId) {
    return provision(provisionFields(flyId));
  }

  /** {@code POST {base}/extensions} with these fields, then the signed {@code url}, nonce, time. */
  public FlyCall provision(ObjectNode fields) {
    Objects.requireNonNull(fields, "fields == null");
    return bodyCall("POST", "/extensions", fields);
  }

  /** {@code GET {base}/extensions/{id}}: the status of the provider's resource {@code id}. */
  public FlyCall status(String id) {
    return queryCall("GET", resourcePath(id));
  }

  /** {@code PATCH {base}/extensions/{id}} with only the signed fields; add more with field(). */
  public FlyCall update(String id) {
    return update(id, JSON.createObjectNode());
  }

  /** {@code PATCH {base}/extensions/{id}} with these fields; absent fields mean "unchanged". */
  public FlyCall update(String id, ObjectNode fields) {
    Objects.requireNonNull(fields, "fields == null");
    return bodyCall("PATCH", resourcePath(id), fields);
  }

  /** {@code DELETE {base}/extensions/{id}}. */
  public FlyCall delete(String id) {
    return queryCall("DELETE", resourcePath(id));
  }

  /**
   * {@code POST {base}/extensions/events}: a signed machine event of {@code type}, such as {@code
   * io.fly.machine.starting}, about {@link #MACHINE_ID}, with a fresh event id. As a CloudEvent its
   * attributes ride in {@code ce-*} headers and the body is {@code {machine_id, status, data}}; in
   * the older form everything is in the body. Neither carries a nonce or url unless set with {@link
   * FlyCall#nonce} or {@link FlyCall#url}.
   */
  public FlyCall machineEvent(MachineEvent.Format format, String type) {
    Objects.requireNonNull(format, "format == null");
    Objects.requireNonNull(type, "type == null");
    String eventId = "evt_" + RequestSigner.randomNonce().substring(0, 16);
    String status = type.substring(type.lastIndexOf('.') + 1);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

    ObjectNode body = JSON.createObjectNode();
    if (format == MachineEvent.Format.LEGACY) {
      body.put("id", eventId);
      body.put("machine_id", MACHINE_ID);
      body.put("type", type);
      body.put("timestamp", now.getEpochSecond());
      body.put("status", status);
      body.putObject("data").put("region", "ams");
      return new FlyCall(this, "POST", "/extensions/events", FlyCall.Kind.LEGACY_EVENT, body);
    }
    body.put("machine_id", MACHINE_ID);
    body.put("status", status);
    body.putObject("data").put("region", "ams");
    return new FlyCall(this, "POST", "/extensions/events", FlyCall.Kind.CLOUD_EVENT, body)
        .attribute("ce-specversion", "1.0")
        .attribute("ce-id", eventId)
        .attribute("ce-type", type)
        .attribute("ce-source", "/machines/" + MACHINE_ID)
        .attribute("ce-time", now.toString());
  }

  /**
   * {@code GET {base}/billing?...&from=...&to=...}: the provisional daily billing fetch for the UTC
   * days {@code from} to {@code to}, both included. See {@code docs/billing.md}.
   */
  public FlyCall billing(LocalDate from, LocalDate to) {
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    return queryCall("GET", billingPath)
        .queryParameter("from", from.toString())
        .queryParameter("to", to.toString());
  }

  /**
   * {@code GET {base}/extensions/{id}/sso} as a browser sends it after {@code flyctl ext ...
   * dashboard}: unsigned, without cookies. A provider with sign-in answers a redirect to Fly's
   * {@code /oauth/authorize}.
   */
  public FlyCall dashboard(String id) {
    return new FlyCall(this, "GET", resourcePath(id) + "/sso", FlyCall.Kind.BROWSER, null);
  }

  @Override
  public String toString() {
    return "FlySimulator{baseUrl=" + baseUrl + ", publicUrl=" + publicUrl + "}";
  }

  // For FlyCall and the conformance checks.

  RequestSigner signer() {
    return signer;
  }

  String secret() {
    return secret;
  }

  HttpClient http() {
    return http;
  }

  Duration timeout() {
    return timeout;
  }

  String basePath() {
    return basePath;
  }

  private FlyCall bodyCall(String method, String routedPath, ObjectNode fields) {
    ObjectNode body = fields.deepCopy();
    if (!body.has("url")) {
      body.put("url", publicUrl(routedPath));
    }
    if (!body.has("nonce")) {
      body.put("nonce", RequestSigner.randomNonce());
    }
    if (!body.has("timestamp")) {
      body.put("timestamp", clock.instant().getEpochSecond());
    }
    return new FlyCall(this, method, routedPath, FlyCall.Kind.SIGNED_BODY, body);
  }

  private FlyCall queryCall(String method, String routedPath) {
    return new FlyCall(this, method, routedPath, FlyCall.Kind.SIGNED_QUERY, null)
        .queryParameter("nonce", RequestSigner.randomNonce())
        .queryParameter("timestamp", Long.toString(clock.instant().getEpochSecond()))
        .queryParameter("url", publicUrl(routedPath));
  }

  private static String resourcePath(String id) {
    Objects.requireNonNull(id, "id == null");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("id is empty: give the id the provider answered");
    }
    return "/extensions/" + encodeSegment(id);
  }

  /** Percent-encodes one path segment: unreserved characters stay, everything else is escaped. */
  static String encodeSegment(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '~';
      if (unreserved) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  /** Collects a {@link FlySimulator}; not thread-safe. */
  public static final class Builder {
    private @Nullable String baseUrl;
    private @Nullable String publicUrl;
    private @Nullable String secret;
    private Clock clock = Clock.systemUTC();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private String billingPath = "/billing";

    private Builder() {}

    /**
     * Where requests are sent: the provider's base URL as this test reaches it, such as {@code
     * http://127.0.0.1:8080/flyio}. Required.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = checkUrl(baseUrl, "baseUrl");
      return this;
    }

    /**
     * The base URL written into each signed {@code url}: the one registered with Fly, which the
     * provider checks against, such as {@code https://kv.example.com/flyio}. The base URL by
     * default.
     */
    public Builder publicUrl(String publicUrl) {
      this.publicUrl = checkUrl(publicUrl, "publicUrl");
      return this;
    }

    /** The provisioning secret to sign with. Required. */
    public Builder secret(String secret) {
      Objects.requireNonNull(secret, "secret == null");
      if (secret.isBlank()) {
        throw new IllegalArgumentException(
            "secret is blank: give the provisioning secret the provider verifies with");
      }
      this.secret = secret;
      return this;
    }

    /** The clock signed timestamps are read from; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How long each call waits for its answer; {@link #DEFAULT_TIMEOUT} by default. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      this.connectTimeout = timeout.compareTo(connectTimeout) < 0 ? timeout : connectTimeout;
      return this;
    }

    /** Where the provider serves billing below its base URL; {@code /billing} by default. */
    public Builder billingPath(String billingPath) {
      Objects.requireNonNull(billingPath, "billingPath == null");
      if (!billingPath.startsWith("/") || billingPath.length() < 2) {
        throw new IllegalArgumentException(
            "billingPath must start with / and name a path, was \"" + billingPath + "\"");
      }
      this.billingPath = billingPath;
      return this;
    }

    /**
     * @throws IllegalStateException naming what is missing
     */
    public FlySimulator build() {
      if (baseUrl == null) {
        throw new IllegalStateException(
            "no base URL: call baseUrl(...) with where the provider answers, such as"
                + " http://127.0.0.1:8080/flyio");
      }
      if (secret == null) {
        throw new IllegalStateException(
            "no secret: call secret(...) with the provisioning secret the provider verifies with");
      }
      return new FlySimulator(this, baseUrl, publicUrl != null ? publicUrl : baseUrl, secret);
    }

    private static String checkUrl(String url, String what) {
      Objects.requireNonNull(url, what + " == null");
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            what
                + " \""
                + url
                + "\" must be an absolute http or https URL with a host, such as"
                + " http://127.0.0.1:8080/flyio ("
                + e.getReason()
                + ")",
            e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            what
                + " \""
                + url
                + "\" must be an absolute http or https URL with a host, such as"
                + " http://127.0.0.1:8080/flyio");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(
            what + " \"" + url + "\" must not have a query or a fragment");
      }
      String trimmed = url;
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      return trimmed;
    }
  }
}
