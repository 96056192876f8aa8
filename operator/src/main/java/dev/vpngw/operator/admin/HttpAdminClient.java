package dev.vpngw.operator.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link AdminClient} over plain HTTP to the pod IP (the admin port is not exposed outside the cluster). */
public final class HttpAdminClient implements AdminClient {
  private final HttpClient http;
  private final Duration timeout;

  public HttpAdminClient(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public InstanceReport status(String host, int port) throws AdminException {
    String body = send(HttpRequest.newBuilder(uri(host, port, "/status")).timeout(timeout).GET().build());
    try {
      return InstanceReport.parse(body);
    } catch (IOException e) {
      throw new AdminException("GET /status on " + host + ": unparseable: " + e.getMessage(), 200, e);
    }
  }

  @Override
  public String post(String host, int port, String path, String token) throws AdminException {
    return send(HttpRequest.newBuilder(uri(host, port, path)).timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private static URI uri(String host, int port, String path) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port + path);
  }

  private String send(HttpRequest request) throws AdminException {
    String what = request.method() + " " + request.uri();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new AdminException(what + " answered " + r.statusCode() + ": " + r.body().strip(), r.statusCode(), null);
      }
      return r.body();
    } catch (IOException e) {
      throw new AdminException(what + ": " + e.getMessage(), 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminException(what + ": interrupted", 0, e);
    }
  }
}
