#!/usr/bin/env bash
# BGP convergence: vpngw vs BIRD learning the same N /29s (198.18.0.0/15) from one BIRD source,
# same run. Needs root and bird2. Usage: dataplane/bench/bgp-convergence.sh [prefixes=10000] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* | head -n 1)}
cp_file=$(mktemp)
# One reactor run so the sibling crds module resolves; dataplane (built last) writes the file last.
./mvnw -B -q -Pbench -pl dataplane -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g \
  -cp "dataplane/target/test-classes:dataplane/target/classes:$(cat "$cp_file")" \
  dev.vpngw.dataplane.bgp.bench.BgpConvergenceBench "${1:-10000}" "${2:-3}"
