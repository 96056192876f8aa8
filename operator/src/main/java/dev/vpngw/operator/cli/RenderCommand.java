package dev.vpngw.operator.cli;

import dev.vpngw.crds.ManifestException;
import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.operator.desired.Render;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code render -f <files or dirs>}: prints the objects the operator would create, as YAML. */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Print, without a cluster, the exact objects the operator creates for the given manifests.")
public final class RenderCommand implements Callable<Integer> {

  @Option(names = {"-f", "--filename"}, required = true, arity = "1..*",
      description = "Manifest files or directories (VirtualNetworkGateway, LocalNetworkGateway, Connection, Secret).")
  List<Path> files;

  @Option(names = {"-n", "--namespace"}, defaultValue = Topology.DEFAULT_NAMESPACE,
      description = "Namespace for resources that name none (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Mixin
  SettingsOptions settings;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManifestSet manifests;
    try {
      manifests = ManifestSet.load(namespace, files);
    } catch (ManifestException e) {
      err.println("error: cannot load manifests:");
      e.problems().forEach(p -> err.println("  " + p));
      err.flush();
      return 2;
    }
    var result = Render.render(manifests, settings.toSettings());
    // Findings go to stderr as comments: the rendered objects already leave faulty connections out.
    result.findings().forEach(f -> err.println("# " + f));
    err.flush();
    out.print(Render.toYaml(result.objects()));
    out.flush();
    return 0;
  }
}
