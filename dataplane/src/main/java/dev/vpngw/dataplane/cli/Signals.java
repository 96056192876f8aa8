package dev.vpngw.dataplane.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP → reload, via the JDK's sun.misc.Signal (no public API exists for it). */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().start(action));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warn("SIGHUP cannot be handled here ({}); reload with 'vpngw reload' or by changing the files", e.getMessage());
    }
  }
}
