package dev.vpngw.dataplane.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's IKE transport: bare IKE on its own port-500 socket, and IKE on 4500 through the
 * ESP engine's socket (which strips/adds the non-ESP marker and keeps ESP for itself), so IKE and
 * ESP share port 4500 as RFC 3948 requires.
 */
public final class GatewayIkeTransport implements IkeTransport {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayIkeTransport.class);

  private final DatagramChannel port500;
  private final InetSocketAddress local500;
  private final EspUdpSocket port4500;
  private final Thread receiveThread;
  private volatile Receiver receiver = (m, l, r) -> { };
  private volatile boolean closed;

  /** {@code port500} must already be bound (in the gateway's network namespace). */
  public GatewayIkeTransport(DatagramChannel port500, EspUdpSocket port4500) throws IOException {
    this.port500 = port500;
    this.local500 = (InetSocketAddress) port500.getLocalAddress();
    this.port4500 = port4500;
    port4500.setReceiver((m, l, r) -> receiver.onIkeMessage(m, l, r));
    receiveThread = Thread.ofPlatform().daemon().name("ike-udp-" + local500.getPort()).start(this::receiveLoop);
  }

  /** Binds {@code address}:{@code port} for IKE in the calling thread's network namespace. */
  public static GatewayIkeTransport bind(InetSocketAddress ikeAddress, EspUdpSocket port4500) throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    try {
      // As large as the 4500 sockets': a flood of IKE_SA_INIT (answered with cookies by this one
      // thread) otherwise overflows the default buffer, and a real peer's request may be lost with it.
      ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
      ch.bind(ikeAddress);
      return new GatewayIkeTransport(ch, port4500);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot bind IKE port " + ikeAddress + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
    if (local.getPort() == port4500.localAddress().getPort()) {
      port4500.send(local, remote, ikeMessage);
      return;
    }
    try {
      port500.send(ByteBuffer.wrap(ikeMessage), remote);
    } catch (IOException e) {
      if (!closed) {
        LOG.warn("IKE send to {} failed: {}", remote, e.toString());
      }
    }
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }

  private void receiveLoop() {
    ByteBuffer buf = ByteBuffer.allocate(65535);
    while (!closed) {
      try {
        buf.clear();
        SocketAddress from = port500.receive(buf);
        buf.flip();
        byte[] msg = new byte[buf.remaining()];
        buf.get(msg);
        receiver.onIkeMessage(msg, local500, (InetSocketAddress) from);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.warn("IKE receive on {} failed", local500, e);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      port500.close();
    } catch (IOException e) {
      LOG.debug("closing IKE socket", e);
    }
  }
}
