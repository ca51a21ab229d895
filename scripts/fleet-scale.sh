#!/usr/bin/env bash
# Measures `fragtop fleet` at scale: a real Prometheus scraping N simulated hosts (N targets served by four
# `fragtop metrics` processes, one per fixture, each target its own `instance`), then the first frame, the
# refresh time, the queries' number and size, and Prometheus' CPU for them. Loopback only; stops what it starts.
# The first frame is `fleet --once` in a fresh process; refreshes are timed in one process as the screen runs
# them (scripts/fleet-refresh.ts), the first with every query new and then REFRESHES more.
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${HOSTS:-500}
REFRESHES=${REFRESHES:-10}
dir=$(mktemp -d /tmp/fragtop-fleet-scale-XXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
fixtures=(live-6.18 k8s-order6-fragmented low-memory-6.18 centos7-numa-k8s)
base=$((20000 + RANDOM % 20000))
for i in 0 1 2 3; do
  node bin/fragtop.js metrics --listen "127.0.0.1:$((base + i))" --interval 15s --proc-root "fixtures/${fixtures[$i]}/proc" >/dev/null 2>&1 &
  pids+=($!)
done
{
  echo 'global: { scrape_interval: 15s }'
  echo 'scrape_configs:'
  echo '  - job_name: fragtop'
  echo '    static_configs:'
  for h in $(seq 1 "$HOSTS"); do
    printf "      - { targets: ['127.0.0.1:%d'], labels: { instance: 'host-%04d' } }\n" $((base + h % 4)) "$h"
  done
} >"$dir/prometheus.yml"
port=$((base + 100))
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
  --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
ppid=$!
pids+=($ppid)
url="http://127.0.0.1:$port"
until curl -sf "$url/-/ready" >/dev/null; do sleep 0.2; done
echo "waiting for two scrapes of $HOSTS targets…"
until [ "$(curl -s "$url/api/v1/query" --data-urlencode 'query=count(count_over_time(up[1m]) >= 2)' |
  python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')" -ge "$HOSTS" ]; do
  sleep 1
done
cpu() { awk '{print $14 + $15}' "/proc/$ppid/stat"; }
ticks=$(getconf CLK_TCK)
echo "fleet --once (a fresh process: start-up, the queries, the table), $REFRESHES runs:"
before=$(cpu)
for _ in $(seq 1 "$REFRESHES"); do
  start=$(date +%s%N)
  node bin/fragtop.js fleet --prometheus "$url" --order 6 --once --json >"$dir/fleet.json"
  end=$(date +%s%N)
  python3 - "$dir/fleet.json" $(((end - start) / 1000000)) <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); r = d["refresh"]
print(f"  wall {sys.argv[2]} ms · hosts {len(d['hosts'])} · {r['queries']} queries, {r['bytes']} bytes, slowest query {r['ms']} ms")
PY
done
after=$(cpu)
echo "Prometheus CPU for those $REFRESHES runs: $(((after - before) * 1000 / ticks)) ms ($(((after - before) * 1000 / ticks / REFRESHES)) ms each)"
npx esbuild scripts/fleet-refresh.ts --bundle --platform=node --format=esm --log-level=warning \
  --outfile="$dir/fleet-refresh.mjs"
echo "refreshes in one process (as the screen runs them), $REFRESHES runs:"
before=$(cpu)
node "$dir/fleet-refresh.mjs" "$url" 6 "$REFRESHES"
after=$(cpu)
echo "Prometheus CPU for those $REFRESHES refreshes: $(((after - before) * 1000 / ticks)) ms ($(((after - before) * 1000 / ticks / REFRESHES)) ms each)"
echo "each query alone, at order 6 with host-0002 open:"
PROMETHEUS_PID=$ppid CLK_TCK=$ticks node "$dir/fleet-refresh.mjs" "$url" 6 0 host-0002
open=host-0002
echo "with $open open (Enter), $REFRESHES runs:"
before=$(cpu)
node "$dir/fleet-refresh.mjs" "$url" 6 "$REFRESHES" "$open"
after=$(cpu)
echo "Prometheus CPU for those $REFRESHES refreshes: $(((after - before) * 1000 / ticks)) ms ($(((after - before) * 1000 / ticks / REFRESHES)) ms each)"
