package dev.vpngw.dataplane.bgp.io;

import dev.vpngw.dataplane.bgp.wire.BgpProtocolException;

/**
 * One TCP connection carrying BGP messages, as the session sees it: framed messages in, encoded
 * messages out. The session never touches sockets, so FSM tests use an in-memory fake.
 */
public interface BgpConnection {
  /** Begins delivering frames; called once, by the session that adopted the connection. */
  void start(Handler handler);

  /** Queues one encoded message; never blocks the caller. */
  void send(byte[] message);

  /** Sends what is queued (e.g. a NOTIFICATION), then closes. */
  void close();

  int localAddress();

  int remoteAddress();

  /** True when we dialled out (for collision resolution). */
  boolean outgoing();

  /** Callbacks arrive on the connection's reader thread; the session re-posts them to its loop. */
  interface Handler {
    void onFrame(BgpConnection from, byte[] frame);

    void onFrameError(BgpConnection from, BgpProtocolException error);

    void onClosed(BgpConnection from, String reason);
  }
}
