#!/usr/bin/env python3
"""Charges each perf sample of the PostgreSQL backends to the protocol stage on its stack (`perf script -F ip,sym`
with call graphs): the outermost stage function found wins, so a plan made while binding counts as planning."""
import collections
import sys

# Checked from the innermost frame outwards; the last match (outermost) decides. Exported symbols of a stripped
# postgres binary, so only functions visible to extensions are named.
STAGES = [
    ("parse", {"pg_parse_query", "raw_parser"}),
    ("analyse and rewrite", {"pg_analyze_and_rewrite_fixedparams", "pg_analyze_and_rewrite_varparams",
                             "parse_analyze_fixedparams", "parse_analyze_varparams", "QueryRewrite"}),
    ("plan", {"pg_plan_queries", "pg_plan_query", "standard_planner", "BuildCachedPlan"}),
    ("revalidate a cached plan", {"RevalidateCachedQuery", "AcquirePlannerLocks", "AcquireExecutorLocks"}),
    ("execute", {"PortalRun", "PortalStart", "ExecutorStart", "ExecutorRun", "standard_ExecutorRun"}),
    ("commit", {"CommitTransactionCommand", "CommitTransaction", "RecordTransactionCommit", "XLogFlush"}),
    ("start a transaction", {"StartTransactionCommand"}),
    ("read and write the socket", {"pq_getbyte", "pq_getmessage", "pq_flush", "pq_putmessage", "secure_read", "secure_write"}),
]

UTILITY = {"standard_ProcessUtility", "ProcessUtility"}


def main(path: str) -> None:
    counts: collections.Counter[str] = collections.Counter()
    total = 0
    stack: list[str] = []

    def flush() -> None:
        nonlocal total
        if not stack:
            return
        total += 1
        stage = "other (no stage function on the stack)"
        for frame in stack:  # innermost first
            for name, symbols in STAGES:
                if frame in symbols:
                    stage = name
        # Npgsql's BEGIN, COMMIT and session reset (DISCARD ALL or its parts) run as utility statements inside PortalRun.
        if stage == "execute" and UTILITY & set(stack):
            stage = "execute a utility statement (BEGIN, COMMIT, DISCARD, RESET, SET, ...)"
        counts[stage] += 1
        stack.clear()

    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.strip()
            if not line:
                flush()
                continue
            parts = line.split(None, 1)
            if len(parts) == 2:
                stack.append(parts[1].split("+")[0])
    flush()
    print(f"{total} samples of the backends")
    for stage, count in counts.most_common():
        print(f"  {count / max(total, 1):6.1%}  {stage}")


if __name__ == "__main__":
    main(sys.argv[1])
