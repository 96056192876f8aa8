package dev.vpngw.operator.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real HTTP client against a local HTTP server shaped like the data plane's admin endpoint. */
class HttpAdminClientTest {
  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext("/status", ex -> {
      byte[] b = """
          {"gateway":"gw","instance":0,"configRevision":"abc","connections":[{"name":"c","status":{"connectionStatus":"Connected"}}]}
          """.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.createContext("/v1/", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + auth);
      int code = "Bearer good".equals(auth) ? 202 : 401;
      byte[] b = (code == 202 ? "reload started" : "operations need Authorization").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(code, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void readsStatusAndPostsOperationsWithTheBearerToken() throws Exception {
    var client = new HttpAdminClient(Duration.ofSeconds(2));
    int port = server.getAddress().getPort();
    var report = client.status("127.0.0.1", port);
    assertThat(report.configRevision()).contains("abc");
    assertThat(report.connections()).containsKey("c");
    assertThat(client.post("127.0.0.1", port, "/v1/reload", "good")).isEqualTo("reload started");
    assertThat(authorizations).containsExactly("POST /v1/reload Bearer good");
    assertThatThrownBy(() -> client.post("127.0.0.1", port, "/v1/reload", "bad"))
        .isInstanceOfSatisfying(AdminClient.AdminException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void unreachableInstanceIsAnAdminExceptionNotACrash() {
    var client = new HttpAdminClient(Duration.ofMillis(300));
    int port = server.getAddress().getPort();
    server.stop(0);
    assertThatThrownBy(() -> client.status("127.0.0.1", port))
        .isInstanceOfSatisfying(AdminClient.AdminException.class, e -> assertThat(e.status()).isZero());
  }
}
