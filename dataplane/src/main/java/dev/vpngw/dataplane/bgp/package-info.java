/**
 * The gateway's BGP-4 speaker (RFC 4271) with 4-octet ASNs (RFC 6793), multiprotocol NLRI
 * (RFC 4760; IPv4 unicast routed, IPv6 decoded), route refresh (RFC 2918), revised error handling
 * (RFC 7606) and the receiving side of graceful restart (RFC 4724).
 *
 * <ul>
 *   <li>{@code wire} — one codec per message type, the sealed {@code BgpMessage}, {@code BgpError}
 *       (NOTIFICATION code/subcode) and {@code TreatAsWithdrawException}.
 *   <li>{@code attr} — one codec per path attribute and the RFC 7606 decision in
 *       {@code PathAttributesCodec}.
 *   <li>{@code session} — the per-neighbour FSM, an actor on the {@link
 *       dev.vpngw.dataplane.routing.ControlLoop} (no locks; injectable clock and connection).
 *   <li>{@code io} — TCP connections, the socket factory and a minimal setns(2) {@code NetNs}.
 *   <li>{@code status} — Azure's list-bgp-peer-status / learned / advertised route records.
 *   <li>this package — configuration records, {@code BgpRib} (Azure import/export policy, prefix
 *       limit, graceful restart), {@code AdjRibOut} (UPDATE packing) and {@code BgpSpeaker}.
 * </ul>
 *
 * Routes land in {@link dev.vpngw.dataplane.routing.RoutingTable}, whose FIB the packet path reads
 * through {@link dev.vpngw.dataplane.routing.ForwardingLookup}.
 */
package dev.vpngw.dataplane.bgp;
