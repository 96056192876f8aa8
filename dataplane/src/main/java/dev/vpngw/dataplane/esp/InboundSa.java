package dev.vpngw.dataplane.esp;

/** An installed inbound SA: the anti-replay window on top of the shared state. */
final class InboundSa extends SaState {
  final ReplayWindow replay;
  /** Where this SA's last authenticated packet came from (starts as the endpoint IKE saw). */
  volatile java.net.InetSocketAddress source;

  InboundSa(EspSaParams params, int workers) {
    super(params, workers);
    this.replay = new ReplayWindow(params.replayWindow(), params.esn());
    this.source = params.remote();
  }
}
