package dev.vpngw.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.operator.Examples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RenderCommandTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cmd = new CommandLine(new OperatorCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void rendersTheSameObjectsAsTheGoldenFile() throws Exception {
    var r = run("render", "-f", Examples.examples().resolve("active-active-bgp").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(Files.readString(
        Examples.repoRoot().resolve("operator/src/test/resources/golden/active-active-bgp.yaml")));
  }

  @Test
  void reportsFindingsOnStderrAndBadFilesWithAnExitCode(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: vpngw.dev/v1alpha1\nkind: Connection\nmetadata: {name: c}\nspec: {bogus: 1}\n");
    var r = run("render", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml").contains("spec.connectionType");
    Path dangling = dir.resolve("dangling.yaml");
    Files.writeString(dangling, Files.readString(Examples.examples().resolve("site-to-site/site-to-site.yaml"))
        .replace("name: onprem\n  sharedKey", "name: elsewhere\n  sharedKey"));
    var r2 = run("render", "-f", dangling.toString());
    assertThat(r2.code()).isZero();
    assertThat(r2.err()).contains("LocalNetworkGatewayNotFound");
    assertThat(r2.out()).contains("kind: \"StatefulSet\"").doesNotContain("name: \"gw-to-onprem\"");
  }
}
