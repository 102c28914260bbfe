#!/usr/bin/env bash
# Traces the allocation ticks of the closing votes alone (the last round of WorkflowHost.Bench.Closing), with their
# stacks, then prints who allocated, per closing vote (bench/WorkflowHost.Bench.Allocations).
# Usage: bench/WorkflowHost.Bench.Closing/trace-closing.sh [sqlite|postgresql] [ballots=200] [seconds=15]
# FOCUS=<part of a frame name> also lists the stacks through that frame; ROWS=<n> the rows per table (25);
# BENCH=<path to WorkflowHost.Bench.Closing.dll> another build (run from the repository, so it finds the workflows).
# Needs Release builds of this program and bench/WorkflowHost.Bench.Allocations, and `dotnet tool restore`.
set -euo pipefail
target=${1:-sqlite}
ballots=${2:-200}
seconds=${3:-15}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d /tmp/trace-closing-XXXX)
bench=${BENCH:-$root/bench/WorkflowHost.Bench.Closing/bin/Release/net10.0/WorkflowHost.Bench.Closing.dll}

(cd "$root" && CLOSING_PAUSE_SECONDS=4 dotnet "$bench" "$target" "$ballots" 1 > "$out/bench.log" 2>&1) &
driver=$!
until grep -q "closing votes next" "$out/bench.log" 2>/dev/null; do
  kill -0 "$driver" 2>/dev/null || { cat "$out/bench.log"; echo "the bench ended before its closing votes"; exit 1; }
  sleep 0.5
done
pid=$(grep -o "pid [0-9]*" "$out/bench.log" | awk '{print $2}')
(cd "$root" && dotnet tool run dotnet-trace collect -p "$pid" --providers Microsoft-Windows-DotNETRuntime:0x1:5 \
  --duration "00:00:$(printf %02d "$seconds")" -o "$out/closing.nettrace" > "$out/trace.log" 2>&1)
wait "$driver"
grep -E "^round" "$out/bench.log"
# The trace may start before the pause ends and outlast the votes: idle time allocates next to nothing.
dotnet "$root/bench/WorkflowHost.Bench.Allocations/bin/Release/net10.0/WorkflowHost.Bench.Allocations.dll" \
  "$out/closing.nettrace" "$ballots" "${ROWS:-25}" ${FOCUS:+"$FOCUS"}
echo "trace and log in $out"
