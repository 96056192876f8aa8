package dev.vpngw.dataplane.net;

import java.net.InetSocketAddress;

/**
 * How IKE messages leave and arrive. Port 500 carries bare IKE; port 4500 carries IKE behind the
 * 4-byte non-ESP marker and ESP (RFC 3948 §2.2) on the same socket, so the ESP engine owns the
 * 4500 socket and hands marker-prefixed datagrams to the {@link Receiver}. The marker is added and
 * stripped here, never by IKE code.
 */
public interface IkeTransport extends AutoCloseable {

  /** Sends one IKE message (without non-ESP marker) from {@code local} to {@code remote}. */
  void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage);

  void setReceiver(Receiver receiver);

  @Override
  void close();

  @FunctionalInterface
  interface Receiver {
    /** One IKE message, marker already stripped; called on the transport's receive thread. */
    void onIkeMessage(byte[] ikeMessage, InetSocketAddress local, InetSocketAddress remote);
  }
}
