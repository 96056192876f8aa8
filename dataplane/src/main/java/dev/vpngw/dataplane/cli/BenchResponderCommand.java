package dev.vpngw.dataplane.cli;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.GatewayPlanner;
import dev.vpngw.dataplane.gateway.DataPlaneEngines;
import dev.vpngw.dataplane.gateway.GatewayRuntime;
import dev.vpngw.dataplane.gateway.RunOptions;
import dev.vpngw.dataplane.loadgen.ScaledPlan;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vpngw bench-responder}: benchmark-only. The real gateway program (runtime, admin endpoint,
 * IKE, ESP, TUN, routing, supervisor, metrics) serving N copies of the one connection in the
 * template manifests (see {@link ScaledPlan} for why N sites are not N manifests).
 */
@Command(name = "bench-responder", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmark responder: the gateway program with the template connection copied to N peers.")
public final class BenchResponderCommand implements Callable<Integer> {
  @Option(names = {"-f", "--template"}, required = true, paramLabel = "DIR",
      description = "Manifests with one gateway and one connection (ResponderOnly) to copy.")
  Path template;

  @Option(names = "--peers", required = true, paramLabel = "N", description = "Number of sites.")
  int peers;

  @Option(names = "--first-peer", defaultValue = "198.19.0.1", paramLabel = "IP", description = "Device address of site 0.")
  String firstPeer;

  @Option(names = "--first-inner", defaultValue = "198.18.128.0", paramLabel = "IP", description = "Site i's address space is (this + i)/32.")
  String firstInner;

  @Option(names = "--admin-port", defaultValue = "9090", paramLabel = "PORT", description = "Admin endpoint port on 127.0.0.1.")
  int adminPort;

  @Option(names = "--tun", defaultValue = "vpngw0", paramLabel = "NAME", description = "TUN interface name.")
  String tun;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var options = new RunOptions(List.of(template), null, 0, null, new InetSocketAddress(InetAddress.getLoopbackAddress(),
        adminPort), Optional.empty(), tun, Duration.ZERO);
    GatewayPlan one = GatewayPlanner.plan(ManifestSet.load(Topology.DEFAULT_NAMESPACE, List.of(template)),
        new GatewayPlanner.Request(null, 0, null));
    GatewayPlan plan = ScaledPlan.of(one, peers, InetAddress.getByName(firstPeer), InetAddress.getByName(firstInner));
    CountDownLatch stop = new CountDownLatch(1);
    GatewayRuntime runtime = GatewayRuntime.start(options, new DataPlaneEngines(options), Clock.systemUTC(), plan);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
      stop.countDown();
      runtime.close();
    }));
    out.println("bench-responder: " + plan.connections().size() + " connections, admin on "
        + runtime.adminAddress().getPort());
    out.flush();
    stop.await();
    return ExitCodes.OK;
  }
}
