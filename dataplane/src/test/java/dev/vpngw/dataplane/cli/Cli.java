package dev.vpngw.dataplane.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs vpngw in-process with captured output. */
final class Cli {
  final CommandLine commandLine = VpngwCommand.commandLine();
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  Cli() {
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
  }

  static Cli run(String... args) {
    Cli c = new Cli();
    c.exit = c.commandLine.execute(args);
    return c;
  }

  int exit = -1;

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
