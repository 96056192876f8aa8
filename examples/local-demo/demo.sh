#!/usr/bin/env bash
# The local demo: a real active-active vpngw gateway (two instances, the data plane's standalone
# mode reading examples/local-demo/gateway.yaml) and a real "on-prem" site (strongSwan with
# kernel-libipsec + BIRD), in network namespaces on this machine. Run through `./vpngw demo`.
# Addresses: 192.0.2.0/24 "internet", 198.18.10.0/24 VNet, 198.18.20.0/24 site, APIPA BGP.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KEEP=no
for a in "$@"; do
  case "$a" in
    --keep) KEEP=yes ;;
    -h|--help) echo "usage: ./vpngw demo [--keep]   (root, Linux)"; exit 0 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done

TAG=vd$(printf '%04x' $((RANDOM % 65536)))
RUN=$(mktemp -d /tmp/vpngw-demo.XXXXXX)
STATE=/tmp/vpngw-demo-$TAG.state
NS=(); PIDS=()
STEP="start"
t0=$(date +%s%N)

say() { printf '[%5.1fs] %s\n' "$(( ($(date +%s%N) - t0) / 100000000 ))e-1" "$*"; }
fail() { echo "FAILED at step '$STEP': $*" >&2; echo "logs: $RUN" >&2; exit 1; }

cleanup() {
  local rc=$?
  if [ "$KEEP" = yes ] && [ $rc -eq 0 ]; then return; fi
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  for n in "${NS[@]}"; do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$n" 2>/dev/null || true
  done
  rm -f "$STATE"
  [ $rc -eq 0 ] && say "cleaned up: ${#NS[@]} namespaces, ${#PIDS[@]} processes, TUN devices gone with them"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'fail "command failed (line $LINENO): $BASH_COMMAND"' ERR

[ "$(id -u)" -eq 0 ] || fail "the demo needs root (network namespaces, TUN devices)"
[ "$(uname -s)" = Linux ] || fail "the demo needs Linux"

STEP="tools"
need=(); for b in ip charon-systemd swanctl bird birdc iperf3 ping; do command -v "$b" >/dev/null 2>&1 || need+=("$b"); done
if [ ${#need[@]} -gt 0 ]; then
  say "installing the on-prem site's software (missing: ${need[*]}): strongswan, bird2, iperf3"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    strongswan-charon charon-systemd strongswan-swanctl libcharon-extra-plugins bird2 iperf3 iputils-ping iproute2 >/dev/null
fi
# The package may start a system-wide charon: stop that one only (root network namespace). A
# blanket pkill also killed the strongSwans of interop tests running at the same time in their
# own namespaces.
for pid in $(pgrep -x charon-systemd || true); do
  [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "$(readlink /proc/self/ns/net)" ] && kill "$pid" 2>/dev/null || true
done

STEP="build"
JAR=$(ls "$ROOT"/dataplane/target/vpngw-dataplane-*-all.jar 2>/dev/null | head -n 1 || true)
if [ -z "$JAR" ]; then
  say "building the gateway program (./mvnw package, once)"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests -pl dataplane -am package) > "$RUN/build.log" 2>&1 || fail "build failed, see $RUN/build.log"
  JAR=$(ls "$ROOT"/dataplane/target/vpngw-dataplane-*-all.jar | head -n 1)
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
vpngw() { "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR" "$@"; }
in_ns() { local n=$1; shift; ip netns exec "$TAG-$n" "$@"; }

STEP="namespaces"
mk() { ip netns add "$TAG-$1"; NS+=("$TAG-$1"); ip -n "$TAG-$1" link set lo up; }
for n in inet vnet gw0 gw1 onprem site; do mk "$n"; done
printf '%s\n' "${NS[@]}" > "$STATE"
ip -n "$TAG-inet" link add br0 type bridge; ip -n "$TAG-inet" link set br0 up
wan() { ip link add "$TAG$1" netns "$TAG-inet" type veth peer name wan netns "$TAG-$1"
        ip -n "$TAG-inet" link set "$TAG$1" master br0 up; ip -n "$TAG-$1" addr add "$2" dev wan; ip -n "$TAG-$1" link set wan up; }
wan gw0 192.0.2.10/24; wan gw1 192.0.2.11/24; wan onprem 192.0.2.20/24
p2p() { ip link add "$3" netns "$TAG-$1" type veth peer name "$4" netns "$TAG-$2"
        ip -n "$TAG-$1" addr add "$5" dev "$3"; ip -n "$TAG-$2" addr add "$6" dev "$4"
        ip -n "$TAG-$1" link set "$3" up; ip -n "$TAG-$2" link set "$4" up; }
p2p vnet gw0 to-gw0 to-vnet 198.18.11.2/30 198.18.11.1/30
p2p vnet gw1 to-gw1 to-vnet 198.18.12.2/30 198.18.12.1/30
p2p site onprem to-gw to-site 198.18.20.10/24 198.18.20.1/24
ip -n "$TAG-vnet" addr add 198.18.10.10/32 dev lo
ip -n "$TAG-site" route add default via 198.18.20.1
ip -n "$TAG-gw0" route add 198.18.10.0/24 via 198.18.11.2
ip -n "$TAG-gw1" route add 198.18.10.0/24 via 198.18.12.2
ip -n "$TAG-onprem" addr add 169.254.21.2/32 dev lo
for n in gw0 gw1 onprem; do in_ns "$n" sysctl -qw net.ipv4.ip_forward=1; done
say "demo $TAG: logs in $RUN"
say "namespaces up: vnet host 198.18.10.10 behind gw0 192.0.2.10 + gw1 192.0.2.11; site host 198.18.20.10 behind on-prem 192.0.2.20"

STEP="on-prem strongSwan"
mkdir -p "$RUN/onprem"
cat > "$RUN/onprem/strongswan.conf" <<CONF
charon-systemd {
  load_modular = no
  load = random nonce openssl pem pkcs1 x509 pubkey kdf gcm aes sha2 sha1 hmac kernel-libipsec kernel-netlink socket-default vici updown
  interfaces_use = wan
  retransmit_timeout = 0.25
  retransmit_base = 1.4
  retransmit_tries = 2
  filelog { main { path = $RUN/onprem/charon.log
                   default = 1
                   ike_name = yes } }
  journal { default = -1 }
  plugins { vici { socket = unix://$RUN/onprem/vici } }
}
CONF
conn() { cat <<CONF
  $1 { version = 2
    local_addrs = 192.0.2.20
    remote_addrs = $2
    encap = yes
    dpd_delay = 1s
    proposals = aes256gcm16-prfsha256-ecp256, aes256-sha256-modp2048
    local { auth = psk
            id = 192.0.2.20 }
    remote { auth = psk
             id = $2 }
    children { net { local_ts = 198.18.20.0/24, 169.254.21.2/32
                     remote_ts = 198.18.10.0/24, $3/32
                     esp_proposals = aes256gcm16
                     dpd_action = restart
                     start_action = none } } }
CONF
}
cat > "$RUN/onprem/swanctl.conf" <<CONF
connections {
$(conn tunnel0 192.0.2.10 169.254.21.1)
$(conn tunnel1 192.0.2.11 169.254.22.1)
}
secrets { ike-gw { secret = "local-demo-psk-0123456789" } }
CONF
STRONGSWAN_CONF="$RUN/onprem/strongswan.conf" ip netns exec "$TAG-onprem" charon-systemd > "$RUN/onprem/stdout.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -S "$RUN/onprem/vici" ] && break; sleep 0.05; done
swanctl --load-all --uri "unix://$RUN/onprem/vici" --file "$RUN/onprem/swanctl.conf" > "$RUN/onprem/load.log" 2>&1 || fail "swanctl --load-all, see $RUN/onprem/load.log"

# libipsec's ipsec0 carries both tunnels; point-to-point addresses towards the gateway's APIPA BGP
# addresses make them direct neighbours for BIRD (as a VTI would on a router).
for _ in $(seq 100); do ip -n "$TAG-onprem" link show ipsec0 >/dev/null 2>&1 && break; sleep 0.05; done
ip -n "$TAG-onprem" addr add 169.254.21.2 peer 169.254.21.1 dev ipsec0
ip -n "$TAG-onprem" addr add 169.254.21.2 peer 169.254.22.1 dev ipsec0

STEP="on-prem BIRD"
cat > "$RUN/onprem/bird.conf" <<CONF
router id 169.254.21.2;
log "$RUN/onprem/bird.log" all;
protocol device { }
protocol static site { ipv4; route 198.18.20.0/24 unreachable; }
template bgp azure {
  local 169.254.21.2 as 65020;
  ipv4 { import all; export where proto = "site"; };
  hold time 9; keepalive time 3; connect retry time 1; connect delay time 1; error wait time 1, 2;
}
protocol bgp gw0 from azure { neighbor 169.254.21.1 as 65010; }
protocol bgp gw1 from azure { neighbor 169.254.22.1 as 65010; }
CONF
in_ns onprem bird -f -c "$RUN/onprem/bird.conf" -s "$RUN/onprem/bird.ctl" -P "$RUN/onprem/bird.pid" > "$RUN/onprem/bird.out" 2>&1 &
BIRD_PID=$!; PIDS+=($BIRD_PID)
sleep 0.5
kill -0 "$BIRD_PID" 2>/dev/null || fail "bird did not start: $(cat "$RUN/onprem/bird.out")"

STEP="gateway instances"
start_gw() {
  local i=$1
  # ip netns exec execs java: $! is the gateway process itself, which the failover step kills.
  ip netns exec "$TAG-gw$i" "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:TieredStopAtLevel=1 ${VPNGW_JAVA_OPTS:-} \
    -jar "$JAR" run -f "$ROOT/examples/local-demo/gateway.yaml" --instance "$i" --admin-port 9090 > "$RUN/gw$i.log" 2>&1 &
  GW_PID[$i]=$!
  PIDS+=($!)
}
declare -a GW_PID
start_gw 0; start_gw 1
say "started vpngw instance 0 (pid ${GW_PID[0]}) and 1 (pid ${GW_PID[1]}) from examples/local-demo/gateway.yaml"

# The VNet side reaches the site through both instances (ECMP), as the cluster's route agent sets it up;
# this loop plays the route agent: it keeps only instances whose process is alive as next hops.
route_agent() {
  local last=""
  while true; do
    local hops=()
    kill -0 "${GW_PID[0]}" 2>/dev/null && hops+=(nexthop via 198.18.11.1)
    kill -0 "${GW_PID[1]}" 2>/dev/null && hops+=(nexthop via 198.18.12.1)
    local now="${hops[*]:-}"
    if [ "$now" != "$last" ] && [ -n "$now" ]; then
      ip -n "$TAG-vnet" route replace 198.18.20.0/24 "${hops[@]}" 2>/dev/null || true
      last=$now
    fi
    sleep 0.05
  done
}

table() {
  for i in 0 1; do
    in_ns "gw$i" bash -c "$(declare -f vpngw); JAVA='$JAVA' JAR='$JAR' vpngw status" 2>/dev/null || echo "instance $i: (admin endpoint not answering)"
  done
}

(route_agent) & RA=$!; PIDS+=($RA)

STEP="converge"
deadline=$(( $(date +%s) + 60 ))
last=""
while :; do
  out=$(table)
  if [ "$out" != "$last" ]; then echo "$out"; last=$out; fi
  conn=$(grep -c " Connected " <<<"$out" || true)
  est=$(grep -c "Established" <<<"$out" || true)
  [ "$conn" -ge 2 ] && [ "$est" -ge 2 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || fail "tunnels/BGP did not converge in 60 s (see $RUN/gw0.log, $RUN/gw1.log, $RUN/onprem/)"
  sleep 1
done
say "both tunnels Connected, both BGP sessions Established"
in_ns gw0 bash -c "exec 3<>/dev/tcp/127.0.0.1/9090; printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3; cat <&3" 2>/dev/null \
  | grep -E '^vpngw_(tunnel_up|bgp_session_up|ike_handshake_seconds_(count|sum))' | sed 's/^/  instance 0 metric: /' || true
birdc -s "$RUN/onprem/bird.ctl" show route 198.18.10.0/24 2>/dev/null | tail -n +2 || true

STEP="reachability"
in_ns vnet ping -c 10 -i 0.1 -W 1 -I 198.18.10.10 198.18.20.10 > "$RUN/ping.txt" 2>&1 || fail "ping from the VNet host to the site host failed: $(tail -3 "$RUN/ping.txt")"
say "ping vnet 198.18.10.10 -> site 198.18.20.10: $(grep -o '[0-9]*% packet loss' "$RUN/ping.txt"), rtt $(grep -o 'rtt.*' "$RUN/ping.txt" | cut -d' ' -f4) ms (min/avg/max/mdev)"
in_ns site iperf3 -s -1 -B 198.18.20.10 > /dev/null 2>&1 &
sleep 0.3
in_ns vnet iperf3 -c 198.18.20.10 -B 198.18.10.10 -t 4 -f m > "$RUN/iperf3.txt" 2>&1 || fail "iperf3 failed: $(tail -3 "$RUN/iperf3.txt")"
say "iperf3 vnet -> site through the tunnels: $(grep receiver "$RUN/iperf3.txt" | awk '{print $7, $8}')"

STEP="failover"
ip netns exec "$TAG-site" ping -D -i 0.01 -W 1 198.18.10.10 > "$RUN/gap.txt" 2>&1 &
PING=$!; PIDS+=($PING)
sleep 2
say "killing instance 0 (kill -9) under continuous traffic (ping every 10 ms, site -> vnet)"
kill -9 "${GW_PID[0]}"
sleep 8
kill -INT "$PING" 2>/dev/null || true; sleep 0.3
gap=$(awk '/bytes from/ { t = substr($1, 2, length($1) - 2) + 0; if (p && t - p > m) m = t - p; p = t; n++ }
           END { printf "%.0f", m * 1000 }' "$RUN/gap.txt")
sent=$(grep -o '^[0-9]* packets transmitted' "$RUN/gap.txt" | cut -d' ' -f1 || true)
replies=$(grep -c "bytes from" "$RUN/gap.txt" || true)
say "failover: longest gap without replies $gap ms ($replies of ${sent:-?} echo requests answered over 10 s)"
echo "gap $gap ms"
table

STEP="rejoin"
start_gw 0
deadline=$(( $(date +%s) + 45 ))
while :; do
  out=$(table)
  conn=$(grep -c " Connected " <<<"$out" || true)
  est=$(grep -c "Established" <<<"$out" || true)
  [ "$conn" -ge 2 ] && [ "$est" -ge 2 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { echo "$out"; fail "instance 0 did not rejoin in 45 s (see $RUN/gw0.log)"; }
  sleep 1
done
echo "$out"
say "instance 0 rejoined: both tunnels Connected, both BGP sessions Established"

if [ "$KEEP" = yes ]; then
  cat <<MSG

The demo is still running (--keep). Look around:
  ip netns exec $TAG-gw0 java -jar $JAR status          # the status table of instance 0 (gw1 for instance 1)
  birdc -s $RUN/onprem/bird.ctl show route              # the on-prem router's view
  swanctl --list-sas --uri unix://$RUN/onprem/vici      # the on-prem IPsec SAs
  ip netns exec $TAG-vnet ping -I 198.18.10.10 198.18.20.10
Tear it down:
  ./vpngw demo-down $TAG
MSG
  kill "$RA" 2>/dev/null || true
fi
say "demo finished"
