package dev.vpngw.dataplane.gateway;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How {@code vpngw run} was started.
 *
 * @param manifests      files or directories read (and re-read on reload)
 * @param gateway        "name" or "namespace/name", null when the manifests hold one gateway
 * @param localAddress   overrides the address IKE/ESP bind to, or null
 * @param admin          admin endpoint bind address (port 0 picks a free port)
 * @param tokenFile      bearer token for admin operations; empty disables them
 * @param tun            TUN interface name
 * @param reloadInterval how often manifest files are checked for changes; zero disables the watch
 */
public record RunOptions(List<Path> manifests, String gateway, int instance, String localAddress,
    InetSocketAddress admin, Optional<Path> tokenFile, String tun, Duration reloadInterval) {

  public RunOptions {
    manifests = List.copyOf(manifests);
  }
}
