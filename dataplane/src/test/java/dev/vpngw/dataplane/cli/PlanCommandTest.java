package dev.vpngw.dataplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.config.Golden;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class PlanCommandTest {

  @Test
  void printsThePlanAsGolden() throws Exception {
    Cli c = Cli.run("plan", "-f", Golden.examplesDir().resolve("site-to-site").toString(), "--instance", "0");
    assertThat(c.exit).as(c.err()).isZero();
    assertThat(c.out()).isEqualTo(Files.readString(Golden.moduleDir()
        .resolve("src/test/resources/golden/plan/site-to-site-0.yaml")));
  }

  @Test
  void jsonOutputMasksTheKey() {
    Cli c = Cli.run("plan", "-f", Golden.examplesDir().resolve("vnet-to-vnet").toString(), "--gateway", "gw-west", "-o", "json");
    assertThat(c.exit).as(c.err()).isZero();
    assertThat(c.out()).contains("\"name\" : \"west-to-east/0\"", "\"psk\" : \"<redacted>\"")
        .doesNotContain("ReplaceWithYourOwnKey");
  }

  @Test
  void severalGatewaysNeedGatewayOption() {
    Cli c = Cli.run("plan", "-f", Golden.examplesDir().resolve("vnet-to-vnet").toString());
    assertThat(c.exit).isEqualTo(ExitCodes.INVALID_CONFIG);
    assertThat(c.err()).contains("the gateway cannot run:", "--gateway: the manifests define 2 VirtualNetworkGateways"
        + " (default/gw-east, default/gw-west)");
  }

  @Test
  void missingPathIsInvalidConfig() {
    Cli c = Cli.run("plan", "-f", "/nonexistent/vpngw");
    assertThat(c.exit).isEqualTo(ExitCodes.INVALID_CONFIG);
    assertThat(c.err()).contains("invalid manifests:", "/nonexistent/vpngw", "no such file or directory");
  }

  @Test
  void noSubcommandIsUsageError() {
    Cli c = Cli.run();
    assertThat(c.exit).isEqualTo(ExitCodes.USAGE);
    assertThat(c.err()).contains("name a subcommand");
  }
}
