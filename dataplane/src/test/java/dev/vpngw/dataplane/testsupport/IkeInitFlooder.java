package dev.vpngw.dataplane.testsupport;

import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeHeader;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.KePayload;
import dev.vpngw.dataplane.ike.message.NoncePayload;
import dev.vpngw.dataplane.ike.message.NotifyType;
import dev.vpngw.dataplane.ike.message.Proposal;
import dev.vpngw.dataplane.ike.message.SaPayload;
import dev.vpngw.dataplane.ike.proposal.AzureDefaults;
import dev.vpngw.dataplane.packet.Ipv4;
import dev.vpngw.dataplane.tun.TunDevice;
import dev.vpngw.dataplane.tun.TunQueue;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A spoofing IKE_SA_INIT flooder, run as its own JVM in a flooder namespace (see
 * {@code IkeInitFloodInteropTest}). It writes raw IPv4/UDP datagrams into an existing TUN device, so
 * any source address can be forged; the namespace forwards them to the gateway, and the gateway's
 * answers come back into the TUN (routes send the spoofed sources there), where they are counted and
 * dropped.
 *
 * <p>Two kinds of requests alternate: from random {@code 198.19.x.y} addresses and ports (an
 * address no connection accepts), and from the configured peer's own address with random high
 * ports and fresh SPIs (what an attacker who knows the peer's address sends: these create half-open
 * SAs until the cookie threshold, then get COOKIEs). Every request is syntactically valid with the
 * gateway's default proposals, a valid MODP-1024 KE and a fresh nonce.
 *
 * <p>Usage: {@code IkeInitFlooder <tun> <gatewayIp> <peerIp> <count> <packetsPerSecond> [ports]}, ports
 * a comma-separated list of gateway ports taken in turn (default {@code 500}; on 4500 requests carry
 * the non-ESP marker and share the socket with ESP, RFC 3948); prints one
 * line {@code flood sent=... unknown=... spoofedPeer=... replies=... cookies=... initResponses=...
 * otherReplies=... writeFailures=... seconds=...}.
 */
public final class IkeInitFlooder {
  /** Source ports of peer-spoofed requests; the gateway routes replies to them to the flooder. */
  public static final int SPOOF_PORT_MIN = 10000;
  public static final int SPOOF_PORT_MAX = 60000;
  private static final int UDP = 8;

  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong cookies = new AtomicLong();
  private final AtomicLong initResponses = new AtomicLong();
  private final AtomicLong otherReplies = new AtomicLong();

  private IkeInitFlooder() {}

  public static void main(String[] args) throws Exception {
    String tunName = args[0];
    InetAddress gateway = InetAddress.getByName(args[1]);
    InetAddress peer = InetAddress.getByName(args[2]);
    int count = Integer.parseInt(args[3]);
    int pps = Integer.parseInt(args[4]);
    int[] ports = java.util.Arrays.stream((args.length > 5 ? args[5] : "500").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    new IkeInitFlooder().run(tunName, gateway, peer, count, pps, ports);
  }

  private void run(String tunName, InetAddress gateway, InetAddress peer, int count, int pps, int[] ports)
      throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] ke = DhGroup.MODP_1024.newKeyExchange(random).publicValue();
    List<Proposal> proposals = new ArrayList<>();
    int n = 1;
    for (var p : AzureDefaults.ikePolicy().proposals()) {
      proposals.add(p.toWire(n++, new byte[0]));
    }
    try (TunDevice tun = TunDevice.open(tunName, 1)) {
      TunQueue q = tun.queue(0);
      Thread reader = Thread.ofPlatform().daemon().name("replies").start(() -> countReplies(q));
      int dst = Ipv4.i32(gateway.getAddress(), 0);
      int peerIp = Ipv4.i32(peer.getAddress(), 0);
      byte[] packet = new byte[1500];
      long unknown = 0;
      long spoofedPeer = 0;
      long writeFailures = 0;
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        byte[] ike = new IkeMessage(IkeHeader.of(random.nextLong() | 1, 0, ExchangeType.IKE_SA_INIT, true, false, 0),
            List.of(new SaPayload(proposals), new KePayload(2, ke), new NoncePayload(nonce))).encode();
        int src;
        int sport;
        if ((i & 1) == 0) {
          src = (198 << 24) | (19 << 16) | random.nextInt(1, 0xfffe); // 198.19.0.1 .. 198.19.255.254
          sport = random.nextInt(1024, 65536);
          unknown++;
        } else {
          src = peerIp;
          sport = random.nextInt(SPOOF_PORT_MIN, SPOOF_PORT_MAX + 1);
          spoofedPeer++;
        }
        int dport = ports[(i >> 1) % ports.length];
        if (dport != 500) {
          ike = nonEspMarked(ike);
        }
        int len = udpPacket(packet, src, sport, dst, dport, ike);
        if (!q.write(packet, 0, len)) {
          writeFailures++;
        }
        pace(start, i + 1, pps);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(2000); // late replies
      System.out.printf("flood sent=%d unknown=%d spoofedPeer=%d replies=%d cookies=%d initResponses=%d"
              + " otherReplies=%d writeFailures=%d seconds=%.2f%n", count, unknown, spoofedPeer, replies.get(),
          cookies.get(), initResponses.get(), otherReplies.get(), writeFailures, seconds);
      System.out.flush();
      reader.interrupt();
    }
  }

  /** Sleeps so that {@code sent} packets take {@code sent / pps} seconds. */
  private static void pace(long start, int sent, int pps) throws InterruptedException {
    long due = start + sent * 1_000_000_000L / pps;
    long ahead = due - System.nanoTime();
    if (ahead > 1_000_000) {
      Thread.sleep(ahead / 1_000_000);
    }
  }

  private static byte[] nonEspMarked(byte[] ike) {
    byte[] out = new byte[4 + ike.length];
    System.arraycopy(ike, 0, out, 4, ike.length);
    return out;
  }

  private static int udpPacket(byte[] b, int src, int sport, int dst, int dport, byte[] payload) {
    int total = Ipv4.MIN_HEADER + UDP + payload.length;
    java.util.Arrays.fill(b, 0, Ipv4.MIN_HEADER + UDP, (byte) 0);
    b[0] = 0x45;
    Ipv4.put16(b, 2, total);
    b[8] = 64; // TTL
    b[9] = (byte) Ipv4.PROTO_UDP;
    Ipv4.put32(b, 12, src);
    Ipv4.put32(b, 16, dst);
    Ipv4.fillHeaderChecksum(b, 0);
    Ipv4.put16(b, 20, sport);
    Ipv4.put16(b, 22, dport);
    Ipv4.put16(b, 24, UDP + payload.length);
    // UDP checksum 0: "none" is legal over IPv4 (RFC 768) and the gateway's socket accepts it.
    System.arraycopy(payload, 0, b, Ipv4.MIN_HEADER + UDP, payload.length);
    return total;
  }

  /** Classifies what the gateway sends back: COOKIE, a real IKE_SA_INIT response, or anything else. */
  private void countReplies(TunQueue q) {
    byte[] b = new byte[TunQueue.MAX_PACKET];
    while (!Thread.currentThread().isInterrupted()) {
      int len = q.read(b, 0, b.length);
      if (len < 0) {
        return;
      }
      if (len < Ipv4.MIN_HEADER || Ipv4.protocol(b, 0) != Ipv4.PROTO_UDP) {
        continue;
      }
      int ihl = Ipv4.headerLength(b, 0);
      int sport = Ipv4.u16(b, ihl);
      if (sport != 500 && sport != 4500) {
        continue;
      }
      replies.incrementAndGet();
      int ike = ihl + UDP + (sport == 500 ? 0 : 4);
      // IKE header: first payload type at byte 16; a notify's type sits 6 bytes into the payload.
      if (len >= ike + 28 + 8 && (b[ike + 16] & 0xff) == 41 && Ipv4.u16(b, ike + 28 + 6) == NotifyType.COOKIE.value()) {
        cookies.incrementAndGet();
      } else if (len > ike + 28 && (b[ike + 16] & 0xff) == 33) {
        initResponses.incrementAndGet();
      } else {
        otherReplies.incrementAndGet();
      }
    }
  }
}
