package dev.vpngw.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  @Test
  void servesPrometheusMetricsAndHealth() throws Exception {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("vpngw_operator_status_polls", "result", "ok").increment(3);
    var healthy = new AtomicBoolean(true);
    try (var server = new MetricsServer(0, registry, healthy::get)) {
      server.start();
      var http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      var metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("vpngw_operator_status_polls_total{result=\"ok\"} 3.0");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
      healthy.set(false);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(503);
    }
  }
}
