package dev.vpngw.dataplane.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway pod's admin endpoint: {@code /healthz}, {@code /readyz}, {@code /status} (JSON in the
 * shape of the CRs' status), {@code /bgp} (sessions, learned routes, ECMP forwarding), {@code /metrics}
 * (Prometheus) are read-only and open; the operations
 * under {@code /v1/…} need {@code Authorization: Bearer <token>} with the token read from a file
 * (the operator mounts it from a Secret). Runs on virtual threads; never on the packet path.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public record Config(InetSocketAddress bind, Optional<Path> tokenFile) {}

  public AdminServer(
      Config config,
      Supplier<?> status,
      BooleanSupplier ready,
      PrometheusMeterRegistry metrics,
      GatewayOperations operations)
      throws IOException {
    this(config, status, ready, metrics, operations, java.util.Map::of);
  }

  /** {@code bgp}: the {@code /bgp} document (sessions with all counters, learned routes, forwarding). */
  public AdminServer(
      Config config,
      Supplier<?> status,
      BooleanSupplier ready,
      PrometheusMeterRegistry metrics,
      GatewayOperations operations,
      Supplier<?> bgp)
      throws IOException {
    server = HttpServer.create(config.bind(), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/healthz", ex -> {
      if (readOnly(ex)) {
        respond(ex, 200, "text/plain", "ok\n");
      }
    });
    server.createContext("/readyz", ex -> {
      if (readOnly(ex)) {
        boolean r = ready.getAsBoolean();
        respond(ex, r ? 200 : 503, "text/plain", r ? "ready\n" : "not ready\n");
      }
    });
    server.createContext("/status", ex -> {
      if (readOnly(ex)) {
        respond(ex, 200, "application/json", json.writeValueAsString(status.get()));
      }
    });
    server.createContext("/bgp", ex -> {
      if (readOnly(ex)) {
        respond(ex, 200, "application/json", json.writeValueAsString(bgp.get()));
      }
    });
    server.createContext("/metrics", ex -> {
      if (readOnly(ex)) {
        respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
      }
    });
    server.createContext("/v1/", ex -> operation(ex, config.tokenFile(), operations));
  }

  public void start() {
    server.start();
    LOG.info("admin endpoint listening on {}", server.getAddress());
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static boolean readOnly(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
      respond(ex, 405, "text/plain", "read-only endpoint: use GET\n");
      return false;
    }
    return true;
  }

  private void operation(HttpExchange ex, Optional<Path> tokenFile, GatewayOperations ops) throws IOException {
    if (!"POST".equals(ex.getRequestMethod())) {
      respond(ex, 405, "text/plain", "operations are POST\n");
      return;
    }
    if (!authorized(ex, tokenFile)) {
      respond(ex, 401, "text/plain", "operations need Authorization: Bearer <admin token>\n");
      return;
    }
    String[] parts = ex.getRequestURI().getPath().substring("/v1/".length()).split("/");
    try {
      String result = switch (parts.length) {
        case 1 -> switch (parts[0]) {
          case "reset" -> ops.resetGateway();
          case "reload" -> ops.reload();
          default -> throw new IllegalArgumentException("unknown operation " + parts[0]);
        };
        case 2 -> {
          if (!"bgp".equals(parts[0]) || !"refresh".equals(parts[1])) {
            throw new IllegalArgumentException("unknown operation " + String.join("/", parts));
          }
          String direction = query(ex, "direction") == null ? "in" : query(ex, "direction");
          if (!List.of("in", "out", "both").contains(direction)) {
            throw new IllegalArgumentException("direction must be in, out or both, got " + direction);
          }
          yield ops.bgpRefresh(query(ex, "peer"), !"out".equals(direction), !"in".equals(direction));
        }
        case 3 -> {
          if (!"connections".equals(parts[0])) {
            throw new IllegalArgumentException("unknown resource " + parts[0]);
          }
          yield switch (parts[2]) {
            case "reset" -> ops.resetConnection(parts[1]);
            case "rekey" -> ops.rekey(parts[1], "ike".equals(query(ex, "sa")));
            default -> throw new IllegalArgumentException("unknown operation " + parts[2]);
          };
        }
        default -> throw new IllegalArgumentException("unknown path " + ex.getRequestURI().getPath());
      };
      LOG.info("admin operation {} from {}: {}", ex.getRequestURI().getPath(), ex.getRemoteAddress(), result);
      respond(ex, 202, "text/plain", result + "\n");
    } catch (IllegalArgumentException e) {
      respond(ex, 404, "text/plain", e.getMessage() + "\n");
    } catch (RuntimeException e) {
      LOG.warn("admin operation {} failed", ex.getRequestURI().getPath(), e);
      respond(ex, 500, "text/plain", "failed: " + e.getMessage() + "\n");
    }
  }

  private static String query(HttpExchange ex, String key) {
    String q = ex.getRequestURI().getQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0 && kv.substring(0, eq).equals(key)) {
        return kv.substring(eq + 1);
      }
    }
    return null;
  }

  private static boolean authorized(HttpExchange ex, Optional<Path> tokenFile) throws IOException {
    if (tokenFile.isEmpty()) {
      return false; // no token configured: operations are disabled, never open
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    // Re-read each time so a rotated Secret takes effect without a restart.
    byte[] expected = Files.readString(tokenFile.get()).strip().getBytes(StandardCharsets.UTF_8);
    byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    return expected.length > 0 && MessageDigest.isEqual(expected, given);
  }

  private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(code, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
