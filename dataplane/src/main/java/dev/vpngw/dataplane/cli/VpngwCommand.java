package dev.vpngw.dataplane.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vpngw}: the data plane program (main class of the shaded jar). */
@Command(name = "vpngw", mixinStandardHelpOptions = true, versionProvider = VpngwCommand.Version.class,
    description = "vpngw gateway instance: IKEv2/ESP/BGP data plane for VirtualNetworkGateway manifests.",
    subcommands = {RunCommand.class, StatusCommand.class, PlanCommand.class, RouteAgentCommand.class, ResetCommand.class,
        ResetConnectionCommand.class, RekeyCommand.class, ReloadCommand.class, BgpRefreshCommand.class,
        LoadgenCommand.class, BenchResponderCommand.class})
public final class VpngwCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (tests call {@code execute} on it with their own out/err). */
  public static CommandLine commandLine() {
    return new CommandLine(new VpngwCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: run, status, plan, reset, reset-connection, rekey, reload, bgp-refresh");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = VpngwCommand.class.getPackage().getImplementationVersion();
      return new String[] {"vpngw " + (v == null ? "development build" : v)};
    }
  }
}
