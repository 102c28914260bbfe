#!/usr/bin/env bash
# Samples the host's CPU with perf while the load driver's votes run (not while it prepares ballots), then prints where
# the time went (perf-shares.py). Usage: bench/WorkflowHost.Bench.Load/profile/perf-votes.sh [sqlite|postgresql] [seconds]
# Needs perf (apt-get install linux-perf) and a Release build of the host and the driver. docs/benchmarks.md section 9.
# BALLOTS=<n> (900) sizes each round; round 2 must outlast the sampled seconds, or the samples take in the driver's
# checks and the next round's submissions (before session 13 they did: 120 ballots lasted about 1.5 s).
# HOST=<path to a WorkflowHost.dll> profiles another build (the "before" of a pair) with the same driver.
# VARIANT=secret samples secret-ballot votes (default open).
set -euo pipefail
target=${1:-sqlite}
seconds=${2:-10}
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mktemp -d /tmp/perf-votes-XXXX)
here=$(cd "$(dirname "$0")" && pwd)

# The runtime writes /tmp/perf-<pid>.map so perf can name JIT-compiled methods; with W^X on, JIT code lives in a
# double-mapped memfd perf cannot read ("memfd:doublemapper"), so it is switched off for the host only.
export WORKFLOWHOST_BENCH_HOST_DOTNET_PerfMapEnabled=1 WORKFLOWHOST_BENCH_HOST_DOTNET_EnableWriteXorExecute=0
dotnet "$root/bench/WorkflowHost.Bench.Load/bin/Release/net10.0/WorkflowHost.Bench.Load.dll" \
  --target "$target" --rounds 3 --ballots "${BALLOTS:-900}" --warmup 40 --variant "${VARIANT:-open}" --no-raw ${HOST:+--host "$HOST"} > "$out/load.log" 2>&1 &
bench=$!

# The driver prints "round 2: voting on …" just before the round's first vote.
until grep -q "round 2: voting" "$out/load.log" 2>/dev/null; do
  kill -0 "$bench" 2>/dev/null || { cat "$out/load.log"; echo "the load driver ended before round 2"; exit 1; }
  sleep 0.5
done
pid=$(grep -o "host pid [0-9]*" "$out/load.log" | awk '{print $3}')
perf record -F 999 -g -p "$pid" -o "$out/perf.data" -- sleep "$seconds"
wait "$bench"
perf script -i "$out/perf.data" -F comm,tid,ip,sym,dso 2>/dev/null > "$out/perf.txt"
grep -E "round|\|" "$out/load.log"
python3 "$here/perf-shares.py" "$out/perf.txt"
echo "samples and log in $out"
