package dev.vpngw.operator.reconcile;

import dev.vpngw.operator.admin.AdminClient;
import dev.vpngw.operator.admin.InstanceReport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Stands in for the gateway pods' admin endpoints: per pod IP a function producing the /status
 * JSON (so a test can change what an instance reports), and a log of every POST.
 */
final class FakeAdminClient implements AdminClient {
  record Post(String host, String path, String token) {}

  private final Map<String, Function<String, String>> statusByIp = new ConcurrentHashMap<>();
  final List<Post> posts = new CopyOnWriteArrayList<>();
  /** Called on POST /v1/reload with the host; lets a test simulate the data plane re-reading its Secret. */
  volatile java.util.function.Consumer<String> onReload = h -> {};

  void serve(String ip, Function<String, String> statusJson) {
    statusByIp.put(ip, statusJson);
  }

  void down(String ip) {
    statusByIp.remove(ip);
  }

  @Override
  public InstanceReport status(String host, int port) throws AdminException {
    var f = statusByIp.get(host);
    if (f == null) {
      throw new AdminException("GET http://" + host + ":" + port + "/status: connection refused", 0, null);
    }
    try {
      return InstanceReport.parse(f.apply(host));
    } catch (java.io.IOException e) {
      throw new AdminException("unparseable", 200, e);
    }
  }

  @Override
  public String post(String host, int port, String path, String token) throws AdminException {
    if (!statusByIp.containsKey(host)) {
      throw new AdminException("POST http://" + host + ":" + port + path + ": connection refused", 0, null);
    }
    posts.add(new Post(host, path, token));
    if (path.equals("/v1/reload")) {
      onReload.accept(host);
    }
    return "accepted";
  }

  long postsTo(String path) {
    return posts.stream().filter(p -> p.path().equals(path)).count();
  }
}
