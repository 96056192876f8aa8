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
 * @param stateDir       directory that outlives the process (an emptyDir in a pod) for the BGP
 *                       graceful-restart heartbeat; empty: a restart is never announced (R bit)
 */
public record RunOptions(List<Path> manifests, String gateway, int instance, String localAddress,
    InetSocketAddress admin, Optional<Path> tokenFile, String tun, Duration reloadInterval, Optional<Path> stateDir) {

  public RunOptions {
    manifests = List.copyOf(manifests);
    stateDir = stateDir == null ? Optional.empty() : stateDir;
  }

  public RunOptions(List<Path> manifests, String gateway, int instance, String localAddress, InetSocketAddress admin,
      Optional<Path> tokenFile, String tun, Duration reloadInterval) {
    this(manifests, gateway, instance, localAddress, admin, tokenFile, tun, reloadInterval, Optional.empty());
  }
}
