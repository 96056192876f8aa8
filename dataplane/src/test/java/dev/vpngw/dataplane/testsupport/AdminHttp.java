package dev.vpngw.dataplane.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vpngw.dataplane.net.NetNs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads a vpngw admin endpoint that listens inside a test namespace, without a JVM per request:
 * the socket is created in the namespace (it stays there) and speaks plain HTTP/1.0.
 */
public final class AdminHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminHttp() {}

  /** GET {@code path} from 127.0.0.1:{@code port} in {@code ns}; the body, or an exception for non-200. */
  public static String get(String ns, int port, String path) throws IOException {
    try (SocketChannel ch = NetNs.runIn(ns, SocketChannel::open)) {
      ch.socket().connect(new InetSocketAddress("127.0.0.1", port), 3000);
      ch.socket().setSoTimeout(10_000);
      ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(ch.socket().getInputStream().readAllBytes());
      String response = b.toString(StandardCharsets.UTF_8);
      int body = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.1 200") && !response.startsWith("HTTP/1.0 200")) {
        throw new IOException("GET " + path + ": " + response.lines().findFirst().orElse("(no answer)"));
      }
      return body < 0 ? "" : response.substring(body + 4);
    }
  }

  public static JsonNode json(String ns, int port, String path) throws IOException {
    return JSON.readTree(get(ns, port, path));
  }
}
