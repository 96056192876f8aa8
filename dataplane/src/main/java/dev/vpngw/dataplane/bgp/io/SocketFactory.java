package dev.vpngw.dataplane.bgp.io;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Creates the speaker's sockets. A socket belongs to the network namespace of the thread that
 * created it, so a namespace-aware factory creates them on a thread that joined the namespace.
 */
public interface SocketFactory {
  ServerSocketChannel openServer() throws IOException;

  SocketChannel openClient() throws IOException;

  SocketFactory DEFAULT = new SocketFactory() {
    @Override
    public ServerSocketChannel openServer() throws IOException {
      return ServerSocketChannel.open();
    }

    @Override
    public SocketChannel openClient() throws IOException {
      return SocketChannel.open();
    }
  };

  /** Sockets opened inside the named network namespace (see {@link dev.vpngw.dataplane.net.NetNs}). */
  static SocketFactory inNamespace(String namespace) {
    return new SocketFactory() {
      @Override
      public ServerSocketChannel openServer() {
        return dev.vpngw.dataplane.net.NetNs.runIn(namespace, ServerSocketChannel::open);
      }

      @Override
      public SocketChannel openClient() {
        return dev.vpngw.dataplane.net.NetNs.runIn(namespace, SocketChannel::open);
      }
    };
  }
}
