/**
 * The routing table: candidate routes per prefix (own addressSpace, static localNetworkAddressSpace
 * per tunnel, BGP), best path with ECMP ({@code BestPathSelector}), immutable longest-prefix-match
 * snapshots for the packet path ({@code FibSnapshot} behind {@code Fib}, implementing
 * {@code ForwardingLookup}) rebuilt in batches, and kernel route mirroring ({@code
 * KernelRouteListener}, {@code IpRouteProgrammer} over {@code ip -batch}). Control-plane state is
 * confined to one {@code ControlLoop} thread.
 */
package dev.vpngw.dataplane.routing;
