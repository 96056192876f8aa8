/**
 * IKEv2 (RFC 7296) for the vpngw data plane, interoperating with strongSwan 5.9.8.
 *
 * <h2>Using it</h2>
 * <pre>{@code
 * IkeTransport transport = UdpIkeTransport.bind(localIp);        // ports 500 + 4500 (non-ESP marker)
 * IkeDaemon daemon = new IkeDaemon(transport, saManager, IkeDaemon.Options.defaults());
 * IkeConnection c = IkeConnection.routeBased("site-a/0", localIp, peerIp, psk)   // Azure defaults
 *     .withPolicies(policy.toIkePolicy(), policy.toChildPolicy());               // AzureIpsecPolicy, optional
 * daemon.addConnection(c);
 * daemon.initiate("site-a/0");                                   // unless connectionMode = ResponderOnly
 * IkeSaStatus s = daemon.status("site-a/0").orElseThrow();       // state, algorithms, SPIs, lastErrorNotify …
 * }</pre>
 * Negotiated child SAs are installed through {@link dev.vpngw.dataplane.esp.SaManager} (inbound,
 * then outbound, then {@code switchOutbound}; on rekey the old pair is deleted after the new one
 * carries traffic). The daemon registers itself as the SaManager's {@link dev.vpngw.dataplane.esp.SaEvents}
 * listener so a soft byte lifetime triggers a child rekey.
 *
 * <h2>Structure</h2>
 * {@code message} one codec per payload, {@link dev.vpngw.dataplane.ike.message.DecodeResult};
 * {@code error} one exception per NOTIFY error; {@code crypto} PRF/integrity/ciphers/DH/key
 * derivation (JCE; Bouncy Castle only for MODP group constants); {@code proposal} Azure policy
 * vocabulary, Azure defaults ({@link dev.vpngw.dataplane.ike.proposal.AzureDefaults}), selection,
 * weak-algorithm flags; {@code sa} the per-IKE-SA actor and its tasks (strongSwan task model).
 *
 * <h2>Tests</h2>
 * Interop tests run a real charon in one network namespace and open this daemon's UDP sockets in
 * another from inside the test JVM ({@code net.NetNs}: setns(2) on a throw-away
 * thread, sockets keep their namespace), so state is asserted in-process and nothing touches the
 * root namespace. Exchange tests wire two daemons through an in-memory network with scripted
 * nonces (rekey collisions in all orderings). Fuzzing: {@code IkeDecoderFuzzTest}.
 */
package dev.vpngw.dataplane.ike;
