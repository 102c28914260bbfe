#!/usr/bin/env bash
# Which SQLite pages a vote writes: runs the load driver, copies the host's write-ahead log during round 3, and names the
# b-tree (table or index) of every page each committed transaction wrote (wal-pages.py; SQLite's dbstat names the pages).
# A count, not a timing: it holds on a busy machine. Usage: bench/WorkflowHost.Bench.Load/profile/wal-pages.sh [open|secret]
# Needs sqlite3 (with dbstat, as Debian's is) and a Release build of the host and the driver. docs/benchmarks.md section 13.
set -euo pipefail
variant=${1:-open}
root=$(cd "$(dirname "$0")/../../.." && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/wal-pages-XXXX)
dotnet "$root/bench/WorkflowHost.Bench.Load/bin/Release/net10.0/WorkflowHost.Bench.Load.dll" \
  --target sqlite --rounds 3 --ballots 120 --warmup 40 --max-warmups 1 --variant "$variant" --no-raw > "$out/load.log" 2>&1 &
bench=$!
until grep -q "round 3: voting" "$out/load.log" 2>/dev/null; do
  kill -0 "$bench" 2>/dev/null || { cat "$out/load.log"; echo "the load driver ended before round 3"; exit 1; }
  sleep 0.3
done
sleep 1
# The host's own data folder (another run's may be newer), from its environment.
pid=$(grep -o "host pid [0-9]*" "$out/load.log" | awk '{print $3}')
data=$(tr '\0' '\n' < "/proc/$pid/environ" | grep '^Persistence__DataFolder=' | cut -d= -f2)
cp "$data/workflowhost.db-wal" "$out/copy.db-wal"
cp "$data/workflowhost.db" "$out/copy.db"
cp "$out/copy.db-wal" "$out/frames.wal"
wait "$bench"
sqlite3 "$out/copy.db" "SELECT pageno, name FROM dbstat" > "$out/pages.txt"
python3 "$here/wal-pages.py" "$out/frames.wal" "$out/pages.txt"
grep "^| Sqlite" "$out/load.log"
echo "log and copies in $out"
