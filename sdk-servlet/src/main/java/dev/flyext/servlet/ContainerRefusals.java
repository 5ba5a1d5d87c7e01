package dev.flyext.servlet;

import org.jspecify.annotations.Nullable;

/**
 * What the servlet says about a request the container refused before the servlet saw it: a status
 * and a fixed message for it. The container's own message is never used, as it may quote the
 * request (a path, a header).
 */
final class ContainerRefusals {
  static final String JSON_UTF8 = "application/json; charset=utf-8";

  private ContainerRefusals() {}

  /** The status of an error dispatch: the container's, when it is an error status, else 500. */
  static int status(@Nullable Object attribute) {
    if (attribute instanceof Integer status && status >= 400 && status <= 599) {
      return status;
    }
    return 500;
  }

  /** A fixed, ASCII-only message for {@code status}, safe to put in a JSON string as it is. */
  static String message(int status) {
    return switch (status) {
      case 400 -> "the request is malformed; the server refused it before the provider saw it";
      case 404 -> "no such route; see docs/protocol.md for the routes";
      case 405 -> "this method is not allowed here";
      case 408 -> "the request took too long to arrive";
      case 411 -> "the request needs a Content-Length";
      case 413 -> "the request is too large";
      case 414 -> "the request target is too long";
      case 415 -> "the request body has a content type the server does not accept";
      case 431 -> "the request headers are too large";
      case 501 -> "the server does not support this request";
      case 503 -> "the server is not ready; retry shortly";
      case 505 -> "this HTTP version is not supported; use HTTP/1.1";
      default ->
          status >= 500
              ? "the server failed to handle this request"
              : "the server refused this request";
    };
  }
}
