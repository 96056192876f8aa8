package dev.vpngw.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
  @TempDir Path dir;
  private AdminServer server;
  private final List<String> calls = new ArrayList<>();
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @BeforeEach
  void start() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret-token\n");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("vpngw_test_total").increment(3);
    GatewayOperations ops = new GatewayOperations() {
      @Override public String resetConnection(String c) {
        if (!c.equals("site-a")) {
          throw new IllegalArgumentException("no connection named " + c);
        }
        calls.add("reset " + c);
        return "reset started";
      }
      @Override public String resetGateway() { calls.add("reset-gw"); return "ok"; }
      @Override public String rekey(String c, boolean ike) { calls.add("rekey " + c + " ike=" + ike); return "ok"; }
      @Override public String reload() { calls.add("reload"); return "ok"; }
      @Override public String bgpRefresh(String peer, boolean in, boolean out) {
        calls.add("bgp-refresh " + peer + " in=" + in + " out=" + out);
        return "ok";
      }
    };
    server = new AdminServer(
        new AdminServer.Config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.of(token)),
        () -> Map.of("connections", List.of(Map.of("name", "site-a", "connectionStatus", "Connected"))),
        ready::get, registry, ops, () -> Map.of("peers", List.of(Map.of("neighbor", "169.254.21.2"))));
    server.start();
    base = "http://127.0.0.1:" + server.address().getPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readOnlyEndpointsAnswerWithoutToken() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    ready.set(true);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/status").body()).contains("\"connectionStatus\" : \"Connected\"");
    assertThat(get("/metrics").body()).contains("vpngw_test_total 3.0");
  }

  @Test
  void operationsNeedTheBearerToken() throws Exception {
    assertThat(post("/v1/connections/site-a/reset", null).statusCode()).isEqualTo(401);
    assertThat(post("/v1/connections/site-a/reset", "wrong").statusCode()).isEqualTo(401);
    assertThat(calls).isEmpty();
    assertThat(post("/v1/connections/site-a/reset", "s3cret-token").statusCode()).isEqualTo(202);
    assertThat(post("/v1/connections/site-a/rekey?sa=ike", "s3cret-token").statusCode()).isEqualTo(202);
    assertThat(post("/v1/reload", "s3cret-token").statusCode()).isEqualTo(202);
    assertThat(calls).containsExactly("reset site-a", "rekey site-a ike=true", "reload");
  }

  @Test
  void bgpRefreshIsAnOperationAndBgpDetailIsReadOnly() throws Exception {
    assertThat(post("/v1/bgp/refresh", null).statusCode()).isEqualTo(401);
    assertThat(post("/v1/bgp/refresh", "s3cret-token").statusCode()).isEqualTo(202);
    assertThat(post("/v1/bgp/refresh?peer=169.254.21.2&direction=out", "s3cret-token").statusCode()).isEqualTo(202);
    assertThat(post("/v1/bgp/refresh?direction=both", "s3cret-token").statusCode()).isEqualTo(202);
    HttpResponse<String> bad = post("/v1/bgp/refresh?direction=sideways", "s3cret-token");
    assertThat(bad.statusCode()).isEqualTo(404);
    assertThat(bad.body()).contains("direction must be in, out or both");
    assertThat(calls).containsExactly("bgp-refresh null in=true out=false", "bgp-refresh 169.254.21.2 in=false out=true",
        "bgp-refresh null in=true out=true");
    assertThat(get("/bgp").body()).contains("169.254.21.2");
    assertThat(post("/bgp", "s3cret-token").statusCode()).isEqualTo(405);
  }

  @Test
  void unknownTargetsAndWrongMethodsAreClearErrors() throws Exception {
    HttpResponse<String> r = post("/v1/connections/nope/reset", "s3cret-token");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no connection named nope");
    assertThat(post("/status", "s3cret-token").statusCode()).isEqualTo(405);
    assertThat(get("/v1/reload").statusCode()).isEqualTo(405);
  }
}
