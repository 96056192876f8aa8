package dev.vpngw.dataplane.esp;

/** An installed inbound SA: the anti-replay window on top of the shared state. */
final class InboundSa extends SaState {
  final ReplayWindow replay;

  InboundSa(EspSaParams params, int workers) {
    super(params, workers);
    this.replay = new ReplayWindow(params.replayWindow(), params.esn());
  }
}
