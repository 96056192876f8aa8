# Shared helpers for bench/run: namespaces, strongSwan peers, iperf3. Sourced, not run.
# Addresses: only 198.18.0.0/15 inside namespaces this script creates.

BENCH_TAG=${BENCH_TAG:-vb$$}
BENCH_DIR=${BENCH_DIR:-$(mktemp -d /tmp/vpngw-bench.XXXXXX)}
NS_CREATED=()
PIDS=()

ns() { echo "${BENCH_TAG}-$1"; }

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  PIDS=()
  for n in "${NS_CREATED[@]}"; do
    for pid in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$n" 2>/dev/null || true
  done
  NS_CREATED=()
}

mkns() { local n; n=$(ns "$1"); ip netns add "$n"; NS_CREATED+=("$n"); ip -n "$n" link set lo up; }

# link NAME_A CIDR_A NAME_B CIDR_B: veth between two namespaces
link() {
  local a b ia ib
  a=$(ns "$1"); b=$(ns "$3"); ia="${BENCH_TAG:0:8}$1$3"; ib="${BENCH_TAG:0:8}$3$1"
  ia=${ia:0:15}; ib=${ib:0:15}
  ip link add "$ia" netns "$a" type veth peer name "$ib" netns "$b"
  ip -n "$a" addr add "$2" dev "$ia"; ip -n "$b" addr add "$4" dev "$ib"
  ip -n "$a" link set "$ia" up; ip -n "$b" link set "$ib" up
  echo "$ia $ib"
}

# The four-host line every row of the table uses:
#   hostL 198.18.1.2 — 198.18.1.1 gwL 198.18.0.1 —wire— 198.18.0.2 gwR 198.18.2.1 — 198.18.2.2 hostR
topology() {
  mkns hostL; mkns gwL; mkns gwR; mkns hostR
  read -r _ _ < <(link hostL 198.18.1.2/24 gwL 198.18.1.1/24)
  read -r GWL_IF GWR_IF < <(link gwL 198.18.0.1/30 gwR 198.18.0.2/30)
  read -r _ _ < <(link gwR 198.18.2.1/24 hostR 198.18.2.2/24)
  ip -n "$(ns hostL)" route add default via 198.18.1.1
  ip -n "$(ns hostR)" route add default via 198.18.2.1
  for g in gwL gwR; do ip netns exec "$(ns $g)" sysctl -qw net.ipv4.ip_forward=1; done
  export GWL_IF GWR_IF
}

plain_routes() {
  ip -n "$(ns gwL)" route add 198.18.2.0/24 via 198.18.0.2
  ip -n "$(ns gwR)" route add 198.18.1.0/24 via 198.18.0.1
}

# strongswan NAME IFACE LOCAL REMOTE LOCAL_TS REMOTE_TS: a charon with kernel-libipsec, forced UDP encapsulation, AES-256-GCM
strongswan() {
  local name=$1 iface=$2 local=$3 remote=$4 lts=$5 rts=$6 dir="$BENCH_DIR/$1"
  mkdir -p "$dir/swanctl"
  cat > "$dir/strongswan.conf" <<CONF
charon-systemd {
  load_modular = no
  load = random nonce openssl pem pkcs1 x509 pubkey kdf gcm aes sha2 hmac kernel-libipsec kernel-netlink socket-default vici updown
  interfaces_use = $iface
  install_routes = yes
  filelog { main { path = $dir/charon.log
                   default = 1
                   ike_name = yes } }
  journal { default = -1 }
  plugins { vici { socket = unix://$dir/charon.vici } }
}
CONF
  cat > "$dir/swanctl/swanctl.conf" <<CONF
connections {
  bench {
    version = 2
    local_addrs = $local
    remote_addrs = $remote
    encap = yes
    proposals = aes256gcm16-prfsha256-ecp256
    local { auth = psk
            id = $local }
    remote { auth = psk
             id = $remote }
    children {
      net { local_ts = $lts
            remote_ts = $rts
            esp_proposals = aes256gcm16
            start_action = none }
    }
  }
}
secrets { ike-bench { secret = "bench-psk-0123456789" } }
CONF
  STRONGSWAN_CONF="$dir/strongswan.conf" ip netns exec "$(ns "$name")" /usr/sbin/charon-systemd > "$dir/stdout.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 50); do [ -S "$dir/charon.vici" ] && break; sleep 0.1; done
  # The socket can appear before charon answers on it (seen on a loaded machine): retry.
  for _ in $(seq 50); do
    swanctl --load-all --uri "unix://$dir/charon.vici" --file "$dir/swanctl/swanctl.conf" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "strongswan $name: swanctl --load-all failed" >&2
  return 1
}

swan() { local name=$1 cmd=$2; shift 2; swanctl "$cmd" --uri "unix://$BENCH_DIR/$name/charon.vici" "$@" 2>/dev/null; }

# iperf3_gbps STREAMS SECONDS: TCP hostL → hostR, prints Gbit/s of the receiver
# -O 1: the first second (TCP slow start, the JIT compiling the packet path) is left out of the figure, on every row alike.
iperf3_gbps() {
  local streams=$1 secs=$2 out
  ip netns exec "$(ns hostR)" iperf3 -s -1 -B 198.18.2.2 >/dev/null 2>&1 &
  local spid=$!
  sleep 0.3
  out=$(ip netns exec "$(ns hostL)" iperf3 -c 198.18.2.2 -P "$streams" -t "$secs" -O 1 -J 2>/dev/null)
  wait "$spid" 2>/dev/null || true
  python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' <<<"$out" 2>/dev/null || echo "nan"
}

# vpngw_manifests DIR LOCAL REMOTE LOCAL_SPACE REMOTE_SPACE MODE: one gateway's manifests, AES-256-GCM
# everywhere (custom policy) so every row of the table uses the same cipher.
vpngw_manifests() {
  local dir=$1 local=$2 remote=$3 lspace=$4 rspace=$5 mode=$6
  mkdir -p "$dir"
  cat > "$dir/gateway.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata: {name: psk}
stringData: {sharedKey: bench-psk-0123456789}
---
apiVersion: vpngw.dev/v1alpha1
kind: VirtualNetworkGateway
metadata: {name: gw}
spec:
  sku: VpnGw5AZ
  addressSpace: [$lspace]
  instances: [{publicIpAddress: $local}]
---
apiVersion: vpngw.dev/v1alpha1
kind: LocalNetworkGateway
metadata: {name: peer}
spec:
  gatewayIpAddress: $remote
  localNetworkAddressSpace: [$rspace]
---
apiVersion: vpngw.dev/v1alpha1
kind: Connection
metadata: {name: bench}
spec:
  connectionType: IPsec
  virtualNetworkGateway1: {name: gw}
  localNetworkGateway2: {name: peer}
  sharedKey: {secretKeyRef: {name: psk, key: sharedKey}}
  connectionMode: $mode
  ipsecPolicies:
    - saLifeTimeSeconds: 27000
      saDataSizeKilobytes: 102400000
      ipsecEncryption: GCMAES256
      ipsecIntegrity: GCMAES256
      ikeEncryption: GCMAES256
      ikeIntegrity: SHA256
      dhGroup: ECP256
      pfsGroup: None
YAML
}

# vpngw_start NAME DIR: `vpngw run` in namespace NAME (the jar must be built)
vpngw_start() {
  local name=$1 dir=$2
  ip netns exec "$(ns "$name")" "${JAVA_HOME:+$JAVA_HOME/bin/}java" --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -jar "$VPNGW_JAR" run -f "$dir" --instance 0 --admin-port 9090 \
    > "$dir/vpngw.log" 2>&1 &
  PIDS+=($!)
}

# warmed_up DIR...: waits (up to 60 s) until each gateway's background start-up work — the in-memory
# IKE handshakes and the reload warm-up — has finished, so a throughput figure is the steady state
# and does not share the cores with one-time start-up compilation (the set-up row is taken before).
warmed_up() {
  local d deadline=$(( $(date +%s) + 60 ))
  for d in "$@"; do
    until grep -q "IKE warm-up" "$d/vpngw.log" 2>/dev/null && grep -q "reload warm-up" "$d/vpngw.log" 2>/dev/null; do
      [ "$(date +%s)" -lt "$deadline" ] || { echo "warm-up not finished in $d" >&2; return 0; }
      sleep 0.2
    done
  done
  sleep 1
}

# until_ping_ms: milliseconds until hostL reaches hostR (after both ends were started)
until_ping_ms() {
  local start=$1 deadline=$(( $(date +%s) + 30 ))
  until ip netns exec "$(ns hostL)" ping -c1 -W0.2 198.18.2.2 >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "timeout"; return 0; fi
  done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
