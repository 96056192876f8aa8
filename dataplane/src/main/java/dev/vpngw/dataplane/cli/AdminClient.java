package dev.vpngw.dataplane.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Talks to a running instance's admin endpoint. */
final class AdminClient {
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  AdminClient(String base) {
    this.base = URI.create(base.endsWith("/") ? base : base + "/");
  }

  record Reply(int code, String body) {
    boolean ok() {
      return code / 100 == 2;
    }
  }

  /** Thrown when nothing answers at the address. */
  static final class Unreachable extends Exception {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  Reply get(String path) throws Unreachable, IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build());
  }

  Reply post(String path, Path tokenFile) throws Unreachable, IOException, InterruptedException {
    String token = Files.readString(tokenFile).strip();
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private Reply send(HttpRequest r) throws Unreachable, IOException, InterruptedException {
    try {
      HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
      return new Reply(resp.statusCode(), resp.body());
    } catch (ConnectException e) {
      throw new Unreachable("cannot reach the admin endpoint at " + base + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }
  }

  URI base() {
    return base;
  }
}
