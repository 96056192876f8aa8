/**
 * Userspace ESP (RFC 4303, tunnel mode, IPv4 inside) for UDP-encapsulated SAs (RFC 3948).
 *
 * <p>Wiring one gateway (all in the gateway's network namespace, see
 * {@link dev.vpngw.dataplane.net.NetNs}):
 *
 * <pre>{@code
 * TunnelSlots slots = new TunnelSlots();                       // shared with the routing table
 * EspEngine engine = new EspEngine(slots, 2 * queues);         // the SaManager IKE talks to
 * TunDevice tun = NetNs.runIn(ns, () -> TunDevice.open("vpn0", queues));
 * EspUdpSocket udp = NetNs.runIn(ns, () -> EspUdpSocket.open(new InetSocketAddress(ip, 4500), queues));
 * udp.setReceiver(ike::onMessage);                             // IkeTransport for port 4500
 * EspDataPath path = new EspDataPath(tun, udp, engine, forwardingLookup, new TcpMssClamp(1350));
 * path.start();
 * // ip link set vpn0 mtu 1400 up; routes to the TUN are the control plane's job
 * }</pre>
 *
 * <p>Transforms: AES-GCM-16 (128/192/256), AES-CBC with HMAC-SHA1-96/SHA256-128/SHA384-192 (and
 * MD5-96), 3DES/DES-CBC, NULL with HMAC-SHA1-96 — all through the JDK's JCE. ESN, a 1024-packet
 * (configurable) anti-replay window, padding and next-header checks; dummy packets (59) dropped.
 *
 * <p>Traffic selectors ({@link dev.vpngw.dataplane.esp.SelectorRanges}): a tunnel slot holds one
 * current outbound SA per selector set, so a policy-based tunnel's packets pick the child SA whose
 * selectors cover their (source, destination); decrypted packets outside their SA's selectors are
 * dropped as {@code TS_MISMATCH} (RFC 4301 §5.2). Route-based SAs are any/any and never checked.
 *
 * <p>Per-packet allocation: none in the engine or the data path. The JCE allocates ~1.1 kB per
 * AES-GCM packet (a new GCM engine per {@code Cipher.init}, which it requires per IV) and ~48 bytes
 * per HMAC packet ({@code Mac.doFinal} returns a fresh array); a forged GCM packet also allocates
 * the {@code AEADBadTagException}.
 */
package dev.vpngw.dataplane.esp;
