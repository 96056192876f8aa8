package dev.vpngw.dataplane.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real strongSwan 5.9.8 charon ({@code charon-systemd}) in a test network namespace, following
 * test-peers.md: its own strongswan.conf via STRONGSWAN_CONF ({@code load_modular = no}, explicit
 * plugin list with kdf and kernel-libipsec), its own vici socket, a file log with NOTIFY names,
 * configuration through swanctl. Reusable by any test that needs an IKEv2/ESP peer.
 *
 * <pre>{@code
 * try (TestNetwork net = TestNetwork.create("sw");
 *      StrongSwanPeer peer = StrongSwanPeer.start(net, ns, iface, tmpDir, Map.of())) {
 *   peer.load(swanctlConf);
 *   peer.initiate("net", "vpngw");
 *   List<StrongSwanPeer.Sa> sas = peer.listSas();
 * }
 * }</pre>
 */
public final class StrongSwanPeer implements AutoCloseable {
  private final TestNetwork net;
  private final String ns;
  private final Path dir;
  private final Process charon;
  private final String uri;

  private StrongSwanPeer(TestNetwork net, String ns, Path dir, Process charon) {
    this.net = net;
    this.ns = ns;
    this.dir = dir;
    this.charon = charon;
    this.uri = "unix://" + dir.resolve("charon.vici");
  }

  /**
   * Starts charon in {@code ns}, bound to {@code iface}. {@code charonOptions} are extra lines for
   * the {@code charon-systemd} section (e.g. {@code "retransmit_timeout" -> "0.5"},
   * {@code "install_routes" -> "yes"}, {@code "fragment_size" -> "300"}).
   */
  public static StrongSwanPeer start(TestNetwork net, String ns, String iface, Path dir, Map<String, String> charonOptions)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder extra = new StringBuilder();
    // Defaults, each overridable: libipsec's table-220 routes would loop 0/0 traffic (test-peers.md).
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("retransmit_timeout", "1.0");
    opts.put("retransmit_tries", "3");
    opts.put("install_routes", "no");
    opts.put("install_virtual_ip", "no");
    opts.putAll(charonOptions);
    opts.forEach((k, v) -> extra.append("  ").append(k).append(" = ").append(v).append('\n'));
    String conf = """
        charon-systemd {
          load_modular = no
          load = random nonce openssl pem pkcs1 x509 revocation constraints pubkey kdf hmac sha1 sha2 md5 aes gcm gmp kernel-libipsec kernel-netlink socket-default vici updown
          interfaces_use = %s
          port = 500
          port_nat_t = 4500
        %s  plugins {
            vici {
              socket = unix://%s
            }
            openssl {
              load_legacy = yes
            }
          }
          filelog {
            peerlog {
              path = %s
              time_format = %%T
              default = 1
              ike = 2
              cfg = 2
              knl = 1
              ike_name = yes
              flush_line = yes
            }
          }
          journal {
            default = -1
          }
        }
        """.formatted(iface, extra, dir.resolve("charon.vici"), dir.resolve("charon.log"));
    Path confFile = dir.resolve("strongswan.conf");
    Files.writeString(confFile, conf);
    Path stdout = dir.resolve("charon.stdout");
    String binary = HostRequirementsExtension.which("charon-systemd").map(Path::toString).orElse("charon-systemd");
    Process p = net.start(ns, stdout, Map.of("STRONGSWAN_CONF", confFile.toString()), binary);
    StrongSwanPeer peer = new StrongSwanPeer(net, ns, dir, p);
    peer.awaitVici();
    return peer;
  }

  private void awaitVici() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!charon.isAlive()) {
        throw new IllegalStateException("charon exited early: " + readQuietly(dir.resolve("charon.stdout")) + log());
      }
      if (Files.exists(dir.resolve("charon.vici")) && tryRun("--stats").exitCode() == 0) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException("charon vici socket did not come up: " + log());
  }

  public Path dir() {
    return dir;
  }

  /** Writes swanctl.conf and loads connections and secrets. */
  public void load(String swanctlConf) throws IOException {
    Path f = dir.resolve("swanctl.conf");
    Files.writeString(f, swanctlConf);
    swanctl("--load-all", "--clear", "--file", f.toString());
  }

  public String swanctl(String... args) {
    TestNetwork.Result r = tryRun(args);
    if (r.exitCode() != 0) {
      // Say whether charon itself is gone (and how), not just that its socket refused us.
      String charonState = charon.isAlive() ? "charon running"
          : "charon exited with " + charon.exitValue() + ": " + readQuietly(dir.resolve("charon.stdout"));
      throw new IllegalStateException("swanctl " + String.join(" ", args) + " failed (" + charonState + "): "
          + r.output());
    }
    return r.output();
  }

  public TestNetwork.Result tryRun(String... args) {
    // swanctl wants the command first, options after it.
    List<String> cmd = new ArrayList<>(List.of("swanctl"));
    cmd.add(args[0]);
    cmd.addAll(List.of("--uri", uri));
    cmd.addAll(List.of(args).subList(1, args.length));
    return net.tryExec(ns, Duration.ofSeconds(30), cmd.toArray(String[]::new));
  }

  /** Initiates a child (and its IKE SA); returns swanctl's output, success or not. */
  public TestNetwork.Result initiate(String child, String ike) {
    return tryRun("--initiate", "--child", child, "--ike", ike, "--timeout", "10");
  }

  public TestNetwork.Result terminateIke(String ike) {
    return tryRun("--terminate", "--ike", ike, "--timeout", "5");
  }

  public TestNetwork.Result rekeyChild(String child) {
    return tryRun("--rekey", "--child", child);
  }

  public TestNetwork.Result rekeyIke(String ike) {
    return tryRun("--rekey", "--ike", ike);
  }

  /** Parsed {@code swanctl --list-sas --raw}. */
  public List<Sa> listSas() {
    String raw = swanctl("--list-sas", "--raw");
    List<Sa> out = new ArrayList<>();
    for (String line : raw.split("\n")) {
      int brace = line.indexOf('{');
      if (!line.startsWith("list-sa event") || brace < 0) {
        continue;
      }
      Map<String, Object> root = ViciRaw.parse(line.substring(brace));
      root.forEach((name, v) -> {
        @SuppressWarnings("unchecked") Map<String, Object> ike = (Map<String, Object>) v;
        List<Child> children = new ArrayList<>();
        Object cs = ike.get("child-sas");
        if (cs instanceof Map<?, ?> m) {
          m.values().forEach(c -> {
            @SuppressWarnings("unchecked") Map<String, Object> cm = (Map<String, Object>) c;
            children.add(new Child(cm));
          });
        }
        out.add(new Sa(name, ike, children));
      });
    }
    return out;
  }

  /** One IKE SA from list-sas; {@code get("state")}, {@code get("initiator-spi")} etc. */
  public record Sa(String name, Map<String, Object> fields, List<Child> children) {
    public String get(String key) {
      Object v = fields.get(key);
      return v == null ? null : v.toString();
    }
  }

  public record Child(Map<String, Object> fields) {
    public String get(String key) {
      Object v = fields.get(key);
      return v == null ? null : v.toString();
    }
  }

  public String log() {
    return readQuietly(dir.resolve("charon.log"));
  }

  private static String readQuietly(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  public boolean isAlive() {
    return charon.isAlive();
  }

  /** SIGKILL: the peer vanishes without a Delete (for DPD tests). */
  public void kill() {
    charon.destroyForcibly();
    try {
      charon.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    charon.destroy();
    try {
      if (!charon.waitFor(5, TimeUnit.SECONDS)) {
        charon.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parser for swanctl's --raw output: {@code {k=v k2 {…} k3 [a b]}}. */
  static final class ViciRaw {
    private final String s;
    private int i;

    private ViciRaw(String s) {
      this.s = s;
    }

    static Map<String, Object> parse(String text) {
      ViciRaw p = new ViciRaw(text.trim());
      p.expect('{');
      return p.section();
    }

    private void expect(char c) {
      skip();
      if (i >= s.length() || s.charAt(i) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + i + " in " + s);
      }
      i++;
    }

    private void skip() {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
    }

    /** Items up to the closing ']' (swanctl prints lists as {@code key=[a b]}). */
    private List<String> list() {
      List<String> list = new ArrayList<>();
      while (true) {
        skip();
        if (s.charAt(i) == ']') {
          i++;
          return list;
        }
        int vs = i;
        while (s.charAt(i) != ' ' && s.charAt(i) != ']') {
          i++;
        }
        list.add(s.substring(vs, i));
      }
    }

    private Map<String, Object> section() {
      Map<String, Object> m = new LinkedHashMap<>();
      while (true) {
        skip();
        if (i >= s.length() || s.charAt(i) == '}') {
          i++;
          return m;
        }
        int start = i;
        while (i < s.length() && " ={[".indexOf(s.charAt(i)) < 0) {
          i++;
        }
        String key = s.substring(start, i);
        skip();
        char c = s.charAt(i);
        if (c == '=' && i + 1 < s.length() && s.charAt(i + 1) == '[') {
          i += 2;
          m.put(key, list());
        } else if (c == '=') {
          i++;
          int vs = i;
          while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '}') {
            i++;
          }
          m.put(key, s.substring(vs, i));
        } else if (c == '{') {
          i++;
          m.put(key, section());
        } else if (c == '[') {
          i++;
          m.put(key, list());
        } else {
          throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
        }
      }
    }
  }
}
