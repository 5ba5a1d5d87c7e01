package dev.flyext.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyext.RequestSigner;
import dev.flyext.internal.QueryStrings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call from Fly to a provider, ready to send and open to change first. A {@link FlySimulator}
 * creates it signed exactly as Fly signs: {@code url}, {@code nonce} and {@code timestamp} in the
 * JSON body for POST and PATCH, in the query string for GET and DELETE, and {@code X-Signature}
 * computed over those exact bytes when it is sent. The overrides make it wrong on purpose: another
 * timestamp, nonce or url (still signed), another secret, a corrupted, exact or missing signature,
 * a raw body or query.
 *
 * <pre>{@code
 * FlyReply reply = fly.provision("ext_1").timestamp(Instant.now().minusSeconds(600)).send();
 * assertThat(reply.status()).isEqualTo(401);
 * }</pre>
 *
 * <p>The nonce and timestamp are chosen when the call is created, so sending the same call twice
 * sends the same bytes: a replay. Create a new call for a new request. Not thread-safe.
 */
public final class FlyCall {
  /** Where the signed fields ride and what the signature covers. */
  enum Kind {
    /** POST or PATCH: the signed fields in the JSON body, the signature over the body. */
    SIGNED_BODY,
    /** GET or DELETE: the signed fields in the query, the signature over the raw query. */
    SIGNED_QUERY,
    /** A machine event as a CloudEvent in binary mode: attributes in {@code ce-*} headers. */
    CLOUD_EVENT,
    /** A machine event in the older form, everything in the body. */
    LEGACY_EVENT,
    /** A browser's request: no signature, no signed fields. */
    BROWSER
  }

  private enum Signing {
    SECRET,
    OTHER_SECRET,
    CORRUPTED,
    EXACT,
    NONE
  }

  private static final List<String> SIGNED_FIELDS = List.of("timestamp", "nonce", "url");

  private final FlySimulator fly;
  private final String method;
  private final String routedPath;
  private final Kind kind;
  private final @Nullable ObjectNode body;
  private final Map<String, String> query = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private byte @Nullable [] rawBody;
  private @Nullable String rawQuery;
  private Signing signing;
  private @Nullable String signingValue;

  FlyCall(
      FlySimulator fly, String method, String routedPath, Kind kind, @Nullable ObjectNode body) {
    this.fly = fly;
    this.method = method;
    this.routedPath = routedPath;
    this.kind = kind;
    this.body = body == null ? null : body.deepCopy();
    this.signing = kind == Kind.BROWSER ? Signing.NONE : Signing.SECRET;
    if (body != null) {
      header("Content-Type", "application/json");
    }
  }

  /** Called by the simulator right after creation, for GET and DELETE. */
  FlyCall queryParameter(String name, String value) {
    query.put(name, value);
    return this;
  }

  /** Called by the simulator right after creation, for CloudEvent attributes. */
  FlyCall attribute(String name, String value) {
    headers.put(name, value);
    return this;
  }

  // Signed fields.

  /**
   * Signs {@code timestamp} instead of the simulator's clock, as UNIX seconds: in the body or
   * query, or as {@code ce-time} for a CloudEvent.
   */
  public FlyCall timestamp(Instant timestamp) {
    Objects.requireNonNull(timestamp, "timestamp == null");
    switch (kind) {
      case CLOUD_EVENT:
        return header("ce-time", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
      case SIGNED_QUERY:
        query.put("timestamp", Long.toString(timestamp.getEpochSecond()));
        return this;
      case BROWSER:
        throw unsigned("timestamp");
      default:
        requireBody("timestamp").put("timestamp", timestamp.getEpochSecond());
        return this;
    }
  }

  /** Signs {@code nonce} instead of a fresh random one, such as one already used. */
  public FlyCall nonce(String nonce) {
    return signedField("nonce", nonce);
  }

  /** Signs {@code url} instead of the public URL of this route, such as another host's. */
  public FlyCall url(String url) {
    return signedField("url", url);
  }

  /**
   * Sets one body field, or for GET and DELETE one query parameter, to a string. Query parameters
   * are signed in the order they were first set.
   */
  public FlyCall field(String name, String value) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(value, "value == null");
    if (kind == Kind.SIGNED_QUERY) {
      query.put(name, value);
    } else {
      requireBody(name).put(name, value);
    }
    return this;
  }

  /** Sets one body field to any JSON value, such as a number where Fly sends a string. */
  public FlyCall field(String name, JsonNode value) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(value, "value == null");
    requireBody(name).set(name, value.deepCopy());
    return this;
  }

  /** Leaves out one body field or query parameter, signed ones included. */
  public FlyCall remove(String name) {
    Objects.requireNonNull(name, "name == null");
    if (kind == Kind.SIGNED_QUERY) {
      query.remove(name);
    } else {
      requireBody(name).remove(name);
    }
    return this;
  }

  /**
   * Sets a machine event's id: the {@code ce-id} header of a CloudEvent, the {@code id} field of
   * the older form.
   */
  public FlyCall eventId(String id) {
    Objects.requireNonNull(id, "id == null");
    if (kind == Kind.CLOUD_EVENT) {
      return header("ce-id", id);
    }
    if (kind == Kind.LEGACY_EVENT) {
      return field("id", id);
    }
    throw new IllegalStateException(method + " " + routedPath + " is not a machine event");
  }

  // Raw content.

  /** Sends exactly these bytes as the body; the signature is computed over them. */
  public FlyCall rawBody(byte[] rawBody) {
    Objects.requireNonNull(rawBody, "rawBody == null");
    if (body == null) {
      throw new IllegalStateException(
          method + " carries no body; use rawQuery(...) for a GET or DELETE");
    }
    this.rawBody = rawBody.clone();
    return this;
  }

  /** Sends exactly this query string (without {@code ?}); the signature is computed over it. */
  public FlyCall rawQuery(String rawQuery) {
    Objects.requireNonNull(rawQuery, "rawQuery == null");
    if (kind != Kind.SIGNED_QUERY) {
      throw new IllegalStateException(
          method + " " + routedPath + " signs its body; use rawBody(...) instead");
    }
    this.rawQuery = rawQuery;
    return this;
  }

  /** Sets a header, replacing any of the same name without case. */
  public FlyCall header(String name, String value) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(value, "value == null");
    headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
    headers.put(name, value);
    return this;
  }

  /** Leaves out a header, such as {@code Content-Type}. */
  public FlyCall removeHeader(String name) {
    Objects.requireNonNull(name, "name == null");
    headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
    return this;
  }

  // The signature.

  /** Signs with {@code secret} instead of the simulator's secret. */
  public FlyCall signWith(String secret) {
    Objects.requireNonNull(secret, "secret == null");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("secret is empty; use withoutSignature() to send none");
    }
    return signing(Signing.OTHER_SECRET, secret);
  }

  /** Sends the right signature with one hex digit changed: well formed, but wrong. */
  public FlyCall corruptSignature() {
    return signing(Signing.CORRUPTED, null);
  }

  /** Sends {@code value} as {@code X-Signature}, exactly, whatever the content. */
  public FlyCall signature(String value) {
    Objects.requireNonNull(value, "value == null");
    return signing(Signing.EXACT, value);
  }

  /** Sends no {@code X-Signature} header. */
  public FlyCall withoutSignature() {
    return signing(Signing.NONE, null);
  }

  // What is sent.

  public String method() {
    return method;
  }

  /**
   * The request target below the base URL: the routed path such as {@code /extensions/ext_1}, and
   * the raw query for GET and DELETE.
   */
  public String target() {
    String query = rawQueryToSend();
    return routedPath + (query == null ? "" : "?" + query);
  }

  /** The body as it will be sent; empty for GET and DELETE. */
  public byte[] bodyBytes() {
    byte[] bytes = bodyToSend();
    return bytes == null ? new byte[0] : bytes;
  }

  /** The {@code X-Signature} value that will be sent, when one will. */
  public @Nullable String signatureHeader() {
    switch (signing) {
      case NONE:
        return null;
      case EXACT:
        return Objects.requireNonNull(signingValue);
      case OTHER_SECRET:
        return RequestSigner.of(Objects.requireNonNull(signingValue)).sign(signedContent());
      case CORRUPTED:
        return corrupt(fly.signer().sign(signedContent()));
      case SECRET:
      default:
        return fly.signer().sign(signedContent());
    }
  }

  /** The bytes a signature covers: the body for POST and PATCH, the raw query otherwise. */
  public byte[] signedContent() {
    byte[] bytes = bodyToSend();
    if (bytes != null) {
      return bytes;
    }
    String query = rawQueryToSend();
    return (query == null ? "" : query).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Sends the call and waits for the answer, within the simulator's timeout. Redirects are not
   * followed.
   *
   * @throws IOException when no answer came: refused, reset or timed out
   */
  public FlyReply send() throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(fly.baseUrl() + target()))
            .timeout(fly.timeout())
            .method(method, publisher());
    headers.forEach(request::header);
    String signature = signatureHeader();
    if (signature != null) {
      request.header(RequestSigner.SIGNATURE_HEADER, signature);
    }
    try {
      HttpResponse<byte[]> response =
          fly.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new FlyReply(response.statusCode(), response.headers().map(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while waiting for " + method + " " + routedPath);
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  /**
   * A one-line account for reports: method, path and query, the headers that matter, the start of
   * the body. Signatures are shortened; the secret is never part of it.
   */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append(method).append(' ').append(fly.basePath()).append(target());
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Content-Type")) {
        out.append(' ').append(header.getKey()).append(": ").append(header.getValue());
      }
    }
    String signature = signatureHeader();
    if (signature == null) {
      out.append(" (no X-Signature)");
    } else {
      out.append(" X-Signature: ").append(Redaction.signature(signature));
      if (signing == Signing.OTHER_SECRET) {
        out.append(" (signed with another secret)");
      } else if (signing == Signing.CORRUPTED) {
        out.append(" (one digit changed)");
      }
    }
    byte[] bytes = bodyToSend();
    if (bytes != null) {
      // The signed fields come last in Fly's bodies, where a cut body would hide them.
      if (rawBody == null && body != null) {
        for (String field : SIGNED_FIELDS) {
          JsonNode value = body.get(field);
          if (value != null) {
            out.append(' ').append(field).append('=').append(value.asText());
          }
        }
      }
      out.append(" body ").append(new String(bytes, StandardCharsets.UTF_8));
    }
    return Redaction.shorten(out.toString());
  }

  @Override
  public String toString() {
    return "FlyCall{" + method + " " + routedPath + "}";
  }

  String routedPath() {
    return routedPath;
  }

  // Plumbing.

  private FlyCall signedField(String name, String value) {
    Objects.requireNonNull(value, () -> name + " == null");
    if (kind == Kind.BROWSER) {
      throw unsigned(name);
    }
    return field(name, value);
  }

  private FlyCall signing(Signing signing, @Nullable String value) {
    if (kind == Kind.BROWSER && signing != Signing.NONE) {
      throw unsigned("X-Signature");
    }
    this.signing = signing;
    this.signingValue = value;
    return this;
  }

  private ObjectNode requireBody(String field) {
    if (body == null) {
      throw new IllegalStateException(
          method + " " + routedPath + " carries no body to set " + field + " in");
    }
    if (rawBody != null) {
      throw new IllegalStateException(
          "a raw body was set, so field " + field + " cannot be changed; set fields first");
    }
    return body;
  }

  private IllegalStateException unsigned(String what) {
    return new IllegalStateException(
        "a browser's GET " + routedPath + " is not signed, so it has no " + what);
  }

  private byte @Nullable [] bodyToSend() {
    if (rawBody != null) {
      return rawBody.clone();
    }
    if (body == null) {
      return null;
    }
    try {
      return FlySimulator.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("could not write the body of " + this, e);
    }
  }

  private @Nullable String rawQueryToSend() {
    if (kind != Kind.SIGNED_QUERY) {
      return null;
    }
    return rawQuery != null ? rawQuery : QueryStrings.join(query);
  }

  private HttpRequest.BodyPublisher publisher() {
    byte[] bytes = bodyToSend();
    return bytes == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(bytes);
  }

  /** The signature with its last hex digit changed, so it stays well formed. */
  private static String corrupt(String signature) {
    char last = signature.charAt(signature.length() - 1);
    char changed = last == '0' ? '1' : '0';
    return signature.substring(0, signature.length() - 1) + changed;
  }
}
