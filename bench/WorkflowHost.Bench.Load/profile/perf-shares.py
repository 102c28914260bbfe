#!/usr/bin/env python3
"""Reads `perf script -F comm,tid,ip,sym` output of the host and prints the share of CPU samples under each named
cost of a vote (a sample counts for every cost whose frame is on its stack). Async continuations start from the thread
pool, so a cost is only seen from the frames of its own state machine down; native frames without frame pointers
(SQLite, the kernel) often end the stack early and are counted under "no managed frame"."""
import sys

COSTS = [
    ("vote step (ResumeAsync)", "ResumeAsync>b__0"),
    ("  read of the instance, built per request", "ReadInstanceAsync>d"),
    ("  SQL generated again for a query", "GetRelationalCommandTemplate"),
    ("  LINQ parameter extraction", "ExpressionTreeFuncletizer"),
    ("  effects (EffectApplier.ApplyAsync)", "EffectApplier+<ApplyAsync>"),
    ("  the voter update", "RecordVoteAsync"),
    ("  the state update", "SaveStateAsync"),
    ("  inserts (SaveChanges)", "DbContext+<SaveChangesAsync>"),
    ("  the engine (WorkflowRunner.Resume)", "WorkflowRunner::Resume"),
    ("  JSON read (state, body)", "JsonSerializer::ReadFromSpan"),
    ("authentication", "AuthenticationMiddleware+<Invoke>"),
    ("  the session check", "AccountSessions+<ReadAsync>"),
    ("antiforgery filter", "CookieAntiforgeryFilter+<InvokeAsync>"),
    ("validation filter", "ValidationFilter+<InvokeAsync>"),
    ("connection open", "RelationalConnection+<OpenAsync>"),
    ("  SQLite settings on open", "SqlitePragmas"),
    ("commit", "RelationalTransaction+<CommitAsync>"),
    ("Npgsql, any frame (PostgreSQL)", "[Npgsql]"),
    ("  writing a command's messages (Parse, Bind, Execute)", "NpgsqlCommand::Write"),
    ("  reading the answer (NpgsqlDataReader)", "NpgsqlDataReader"),
    ("  taking and returning a pooled connection", "PoolingDataSource"),
    ("submission (StartAsync), should be 0", "StartAsync>b__0"),
]


def samples(path):
    frames = None
    with open(path, errors="replace") as lines:
        for line in lines:
            if not line.strip():
                if frames is not None:
                    yield frames
                frames = None
            elif line[0] not in " \t":
                frames = []
            elif frames is not None:
                frames.append(line.strip().split(" ", 1)[-1])
    if frames is not None:
        yield frames


def main(path):
    stacks = list(samples(path))
    total = len(stacks) or 1
    print(f"{len(stacks)} samples")
    for name, frame in COSTS:
        hits = sum(1 for stack in stacks if any(frame in f for f in stack))
        print(f"{100 * hits / total:6.2f}%  {name}")
    unmanaged = sum(1 for stack in stacks if not any("[" in f and "::" in f for f in stack))
    print(f"{100 * unmanaged / total:6.2f}%  no managed frame (SQLite, kernel, GC, allocator)")


if __name__ == "__main__":
    main(sys.argv[1])
