package dev.flyext.servlet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain loopback socket, for requests whose exact bytes matter: a path no client
 * library would send as written, a body with no charset anywhere. One request per connection.
 */
final class RawHttp {
  private static final int TIMEOUT_MILLIS = 10_000;

  private RawHttp() {}

  /**
   * Sends {@code head} (request line and headers, CRLF-separated, no blank line) and a body, and
   * reads one answer: by its Content-Length, by its chunks, or else to the end of the connection.
   * Reading by length matters: a container may keep the connection open after answering, to drain a
   * body it did not read.
   */
  static Reply exchange(int port, String head, byte[] body) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      try {
        out.write(body);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before taking the whole request; read what it said.
      }
      return read(new BufferedInputStream(socket.getInputStream()), head.startsWith("HEAD "));
    }
  }

  /** A request line and headers with Host and Connection: close added. */
  static String head(String method, String target, int port, String... headers) {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1");
    head.append("\r\nHost: 127.0.0.1:").append(port);
    head.append("\r\nConnection: close");
    for (String header : headers) {
      head.append("\r\n").append(header);
    }
    return head.toString();
  }

  private static Reply read(InputStream in, boolean head) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      lines.add(line);
    }
    if (lines.isEmpty()) {
      throw new IOException("the server closed the connection without an answer");
    }
    int status = Integer.parseInt(lines.get(0).split(" ", 3)[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(line.substring(0, colon).strip(), name -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }

    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(headers);
    List<String> encoding = byName.getOrDefault("Transfer-Encoding", List.of());
    List<String> length = byName.getOrDefault("Content-Length", List.of());
    byte[] body;
    if (head || status == 204 || status == 304 || status < 200) {
      body = new byte[0];
    } else if (encoding.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
      body = unchunk(in);
    } else if (!length.isEmpty()) {
      int size = Integer.parseInt(length.get(0));
      body = in.readNBytes(size);
      if (body.length < size) {
        throw new IOException("the answer ended after " + body.length + " of " + size + " bytes");
      }
    } else {
      body = in.readAllBytes();
    }
    return new Reply(status, headers, body);
  }

  private static byte[] unchunk(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int size = Integer.parseInt(sizeLine.split(";", 2)[0].strip(), 16);
      if (size == 0) {
        readLine(in);
        return out.toByteArray();
      }
      out.write(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
