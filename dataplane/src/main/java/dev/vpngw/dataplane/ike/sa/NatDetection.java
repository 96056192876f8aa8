package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.NatTraversal;
import dev.vpngw.dataplane.ike.crypto.Bytes;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.NotifyPayload;
import dev.vpngw.dataplane.ike.message.NotifyType;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * NAT detection (RFC 7296 §2.23): SHA-1(SPIi | SPIr | IP | port). With forced encapsulation the
 * source hash is deliberately wrong, so the peer believes we are behind a NAT and uses UDP 4500 for
 * ESP (what strongSwan's {@code encap = yes} does).
 */
final class NatDetection {
  private NatDetection() {}

  static byte[] hash(long spiI, long spiR, InetSocketAddress a) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(Bytes.u64(spiI));
      sha1.update(Bytes.u64(spiR));
      sha1.update(a.getAddress().getAddress());
      sha1.update(new byte[] {(byte) (a.getPort() >> 8), (byte) a.getPort()});
      return sha1.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<NotifyPayload> notifies(IkeSa sa, long spiR) {
    byte[] src = hash(sa.spiI, spiR, sa.local);
    if (sa.conn.forceEncapsulation()) {
      src = new byte[20];
      sa.host.random().nextBytes(src);
    }
    return List.of(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, src),
        NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, hash(sa.spiI, spiR, sa.remote)));
  }

  /**
   * What the peer's notifies say about NATs on either side (a peer forcing encapsulation looks like
   * a peer behind a NAT). Absent notifies mean the peer does not support NAT-T: no NAT assumed.
   */
  static NatTraversal detect(IkeSa sa, IkeMessage m, long spiR) {
    List<NotifyPayload> srcs = m.all(NotifyPayload.class).stream().filter(n -> n.is(NotifyType.NAT_DETECTION_SOURCE_IP)).toList();
    var dst = m.notify(NotifyType.NAT_DETECTION_DESTINATION_IP);
    if (srcs.isEmpty() || dst.isEmpty()) {
      return NatTraversal.NONE;
    }
    byte[] expectSrc = hash(sa.spiI, spiR, sa.remote);
    boolean peerBehindNat = srcs.stream().noneMatch(n -> MessageDigest.isEqual(n.data(), expectSrc));
    boolean weBehindNat = !MessageDigest.isEqual(dst.get().data(), hash(sa.spiI, spiR, sa.local));
    return NatTraversal.of(weBehindNat, peerBehindNat);
  }

  static boolean supported(IkeMessage m) {
    return m.notify(NotifyType.NAT_DETECTION_SOURCE_IP).isPresent();
  }
}
