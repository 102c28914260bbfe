#!/usr/bin/env bash
# Traces the host's allocation ticks, with their stacks, while the load driver's votes run (not while it prepares
# ballots), then prints who allocated, per vote (bench/WorkflowHost.Bench.Allocations).
# Usage: bench/WorkflowHost.Bench.Load/profile/allocations-votes.sh [sqlite|postgresql] [seconds]
# FOCUS=<part of a frame name> also lists the stacks through that frame, CALLERS=<n> with n frames above it; ROWS=<n> sets
# the rows per table (25).
# BALLOTS=<n> (900) sizes each round; round 2 must outlast the sampled seconds, or the samples take in the driver's
# checks and the next round's submissions (before session 13 they did: 120 ballots lasted about 1.5 s).
# VARIANT=open|secret (open), HOST=<path to a WorkflowHost.dll> (the Release build), MAX_WARMUPS=<n> (the driver's 12).
# Needs a Release build of the host, the driver and bench/WorkflowHost.Bench.Allocations, and `dotnet tool restore`.
set -euo pipefail
target=${1:-sqlite}
seconds=${2:-5}
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mktemp -d /tmp/allocations-votes-XXXX)

dotnet "$root/bench/WorkflowHost.Bench.Load/bin/Release/net10.0/WorkflowHost.Bench.Load.dll" \
  --target "$target" --rounds 3 --ballots "${BALLOTS:-900}" --warmup 40 --variant "${VARIANT:-open}" --no-raw --max-warmups "${MAX_WARMUPS:-12}" \
  ${HOST:+--host "$HOST"} > "$out/load.log" 2>&1 &
bench=$!

# The driver prints "round 2: voting on …" just before the round's first vote.
until grep -q "round 2: voting" "$out/load.log" 2>/dev/null; do
  kill -0 "$bench" 2>/dev/null || { cat "$out/load.log"; echo "the load driver ended before round 2"; exit 1; }
  sleep 0.5
done
pid=$(grep -o "host pid [0-9]*" "$out/load.log" | awk '{print $3}')
# GC keyword (0x1) at verbose level (5) raises the allocation ticks; dotnet-trace adds the rundown that names JIT code.
(cd "$root" && dotnet tool run dotnet-trace collect -p "$pid" --providers Microsoft-Windows-DotNETRuntime:0x1:5 \
  --duration "00:00:$(printf %02d "$seconds")" -o "$out/votes.nettrace" > "$out/trace.log" 2>&1)
# Votes acknowledged while the trace ran: the round's rate times the traced seconds, read after the round ends.
wait "$bench"
rate=$(grep "round 2: ${VARIANT:-open} ballots" "$out/load.log" | sed -E 's/.*= ([0-9]+) votes\/s.*/\1/')
grep -E "round 2" "$out/load.log"
dotnet "$root/bench/WorkflowHost.Bench.Allocations/bin/Release/net10.0/WorkflowHost.Bench.Allocations.dll" \
  "$out/votes.nettrace" "$((rate * seconds))" "${ROWS:-25}" ${FOCUS:+"$FOCUS"} ${FOCUS:+"${CALLERS:-0}"}
echo "trace and log in $out"
