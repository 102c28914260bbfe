#!/usr/bin/env bash
# PostgreSQL's side of a vote: the CPU the host's backends use per vote in each timed round, and (round 2) where it goes
# by stage of the extended protocol: parsing, analysing, planning, executing, committing. docs/benchmarks.md section 15a.
# Usage: bench/WorkflowHost.Bench.Load/profile/pg-server-votes.sh [seconds] [extra load-driver arguments…]
# e.g. pg-server-votes.sh 4 --host /tmp/pg-base/WorkflowHost.dll. Needs perf and root (it samples the postgres user's
# processes), a Release build of the driver, and the server in WORKFLOWHOST_TEST_POSTGRES (or the driver's default).
# Only the backends connected to this run's own database are read, so other clients of the same server do not count.
set -euo pipefail
seconds=${1:-4}
shift || true
root=$(cd "$(dirname "$0")/../../.." && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/pg-server-votes-XXXX)
tick=$(getconf CLK_TCK)

dotnet "$root/bench/WorkflowHost.Bench.Load/bin/Release/net10.0/WorkflowHost.Bench.Load.dll" \
  --target postgresql --rounds 3 --ballots 200 --warmup 100 --variant open --no-raw "$@" > "$out/load.log" 2>&1 &
bench=$!

until grep -q "^run " "$out/load.log" 2>/dev/null; do sleep 0.2; done
run=$(awk '/^run /{sub(":", "", $2); print $2; exit}' "$out/load.log")

# The host's backends: their process title names the database the driver created for this run.
backends() { for p in $(pgrep -u postgres -f "wfh_load_${run} " || true); do echo "$p"; done; }
# Clock ticks of user and system CPU summed over the backends alive now.
ticks() { local sum=0; for p in $(backends); do set -- $(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null || echo); [ $# -ge 13 ] && sum=$((sum + ${12} + ${13})); done; echo $sum; }

seen=0
while kill -0 "$bench" 2>/dev/null; do
  starts=$(grep -c "round [0-9]*: voting" "$out/load.log" || true)
  if [ "$starts" -gt "$seen" ]; then
    seen=$starts
    before=$(ticks)
    if [ "$seen" -eq 2 ]; then
      pids=$(backends | paste -sd,)
      perf record -F 499 --call-graph dwarf,16384 -p "$pids" -o "$out/perf.data" -- sleep "$seconds" 2>/dev/null &
      recorder=$!
    fi
    until [ "$(grep -c "ballots, [0-9]* votes in" "$out/load.log" || true)" -ge "$seen" ]; do
      kill -0 "$bench" 2>/dev/null || break
      sleep 0.1
    done
    after=$(ticks)
    votes=$(grep "ballots, [0-9]* votes in" "$out/load.log" | sed -n "${seen}p" | sed 's/.*ballots, \([0-9]*\) votes.*/\1/')
    awk -v b="$before" -v a="$after" -v v="$votes" -v t="$tick" -v r="$seen" \
      'BEGIN { printf "timed round %d: PostgreSQL backends %.2f ms CPU per vote (%d votes)\n", r, (a - b) * 1000 / t / v, v }' | tee -a "$out/server.txt"
  fi
  sleep 0.1
done
wait "$bench" || true
[ -n "${recorder:-}" ] && wait "$recorder" || true
grep -E "round|\|" "$out/load.log"
cat "$out/server.txt"
perf script -i "$out/perf.data" -F ip,sym 2>/dev/null > "$out/perf.txt"
python3 "$here/pg-stages.py" "$out/perf.txt"
echo "samples and log in $out"
