package dev.vpngw.dataplane.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's demo command end to end ({@code ./vpngw demo}) after {@code package} built the
 * jar (failsafe, integration-test phase) and checks what a user would look for, and that it left
 * nothing behind.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "bird", "birdc", "iperf3", "ping"})
class LocalDemoIT {

  @Test
  void demoConnectsPassesTrafficSurvivesAnInstanceLossAndCleansUp() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path script = root.resolve("vpngw");
    assertThat(script).isExecutable();
    Path out = Files.createTempFile("vpngw-demo", ".out");
    Process p = new ProcessBuilder(script.toString(), "demo").directory(root.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean done = p.waitFor(150, TimeUnit.SECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(done).as("demo finished within 150 s (target: 2 minutes)\n" + output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("Connected").contains("Established").contains("demo finished");
    Matcher gap = Pattern.compile("(?m)^gap (\\d+) ms$").matcher(output);
    assertThat(gap.find()).as("a 'gap … ms' line").isTrue();
    assertThat(output).containsPattern("ping vnet 198\\.18\\.10\\.10 -> site 198\\.18\\.20\\.10: 0% packet loss");
    assertThat(output).contains("instance 0 rejoined");

    Matcher tag = Pattern.compile("demo (vd[0-9a-f]{4}): logs in").matcher(output);
    assertThat(tag.find()).as(output).isTrue();
    String netns = TestNetwork.runProcess(Duration.ofSeconds(10), "ip", "netns", "list").output();
    assertThat(netns).as("namespaces left behind").doesNotContain(tag.group(1) + "-");
    assertThat(ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
        .filter(c -> c.contains("examples/local-demo/gateway.yaml") || c.contains("vpngw-demo."))
        .toList()).as("processes left behind").isEmpty();
  }

}
