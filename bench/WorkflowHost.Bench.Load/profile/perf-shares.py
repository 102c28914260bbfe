#!/usr/bin/env python3
"""Reads `perf script -F comm,tid,ip,sym[,dso]` output of the host and prints two views of its CPU samples.

On the stack: the share of samples under each named cost of a vote (a sample counts for every cost whose frame is on
its stack). Async continuations run on the stack of whatever completed the awaited task, so a frame that completes
I/O (Npgsql's reader, SslStream, a socket) carries every continuation above it: the rest of the request up to its
next real wait. Such a row says "this frame was on the stack", not "this cost". Async continuations start from the
thread pool, so a cost is only seen from the frames of its own state machine down.

By owner (each sample counted once): the innermost frame outside the runtime's own libraries (System.Private.CoreLib,
LINQ, collections), so casts, async machinery and allocation are charged to the library that called them. Samples
with no such frame are named by what is on their stack: the thread pool's idle workers, the socket engine's epoll
thread, the GC, OpenSSL, or the kernel's socket calls (native frames often end the stack early, so a send or a
receive is not always seen from the managed code that made it; the dso column names them when present)."""
import collections
import re
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
    ("Npgsql, any frame (PostgreSQL; with the continuations it completes)", "[Npgsql] "),
    # Npgsql's methods that write are async state machines ("NpgsqlCommand+<<Write>g__WriteExecute|…>d::MoveNext"),
    # never "NpgsqlCommand::Write": the row matched nothing before it was checked against a PostgreSQL profile.
    ("  writing a command's messages (Bind, Execute, Sync) and flushing them", ("NpgsqlCommand+<<Write>", "NpgsqlWriteBuffer+<Flush>")),
    ("  SQL text parsed for parameters and statements (SqlQueryParser)", "SqlQueryParser::"),
    ("  reading the answer (NpgsqlDataReader; with continuations)", "NpgsqlDataReader"),
    # Npgsql 8+ takes a pooled connector in NpgsqlConnection.Open (the pool is a PoolingDataSource, found from the
    # connection string by SetupDataSource) and gives it back in Close; "PoolingDataSource" alone is rarely on a stack,
    # since taking an idle connector is inlined.
    ("  opening (from the pool) and closing a connection", ("NpgsqlConnection+<<Open>", "NpgsqlConnection::Open", "NpgsqlConnection::SetupDataSource",
                                                          "PoolingDataSource", "NpgsqlConnection+<CloseAsync>", "NpgsqlConnection::Close")),
    ("TLS to the database (SslStream, OpenSSL; with continuations)", ("SslStream", "libssl", "libcrypto")),
    ("Hangfire, any frame (its workers and polling; the step observer's enqueues)", ("[Hangfire", "HangfireStepObserver")),
    ("submission (StartAsync), should be 0", "StartAsync>b__0"),
]

# The runtime's own managed code: a sample whose innermost frame is here is charged to the first frame above it.
RUNTIME = {"System.Private.CoreLib", "System.Linq", "System.Collections", "System.Collections.Concurrent", "System.Runtime", "System.Memory"}
FRAME = re.compile(r"^[0-9a-f]+ (.*?)(?: \(([^()]*)\))?$")
MODULE = re.compile(r"\[([A-Za-z0-9_.]+)\] ")


def samples(path):
    """Each sample as (thread name, [(symbol, dso)]), innermost frame first."""
    comm, frames = None, None
    with open(path, errors="replace") as lines:
        for line in lines:
            if not line.strip():
                if frames is not None:
                    yield comm, frames
                frames = None
            elif line[0] not in " \t":
                comm, frames = re.sub(r"\s+\d+\s*$", "", line.strip()), []
            elif frames is not None:
                match = FRAME.match(line.strip())
                if match:
                    frames.append((match.group(1), match.group(2) or ""))
    if frames is not None:
        yield comm, frames


def on_stack(frames, pattern):
    patterns = pattern if isinstance(pattern, tuple) else (pattern,)
    return any(p in symbol or p in dso for symbol, dso in frames for p in patterns)


def owner(comm, frames):
    for symbol, _ in frames:
        module = MODULE.search(symbol)
        if module and module.group(1) not in RUNTIME:
            return module.group(1)
    if on_stack(frames, "LowLevelLifoSemaphore"):
        return "(thread pool: idle workers spinning and sleeping, LowLevelLifoSemaphore)"
    if on_stack(frames, ("libssl", "libcrypto", "SslStream")):
        return "(OpenSSL, no managed frame)"
    if on_stack(frames, "epoll_wait"):
        return "(socket engine: epoll thread)"
    if "GC" in comm:
        return "(GC threads)"
    if on_stack(frames, ("sys_sendto", "sys_recvfrom", "__send", "__libc_recv", "tcp_", "skb")):
        return "(kernel: socket send and receive, managed caller not seen)"
    if any(MODULE.search(symbol) for symbol, _ in frames):
        return "(the runtime's managed code only: dispatch, async machinery)"
    return f"(other native, no managed frame: {comm})"


def main(path):
    stacks = list(samples(path))
    total = len(stacks) or 1
    print(f"{len(stacks)} samples")
    print("on the stack:")
    for name, frame in COSTS:
        hits = sum(1 for _, frames in stacks if on_stack(frames, frame))
        print(f"{100 * hits / total:6.2f}%  {name}")
    unmanaged = sum(1 for _, frames in stacks if not any("[" in s and "::" in s for s, _ in frames))
    print(f"{100 * unmanaged / total:6.2f}%  no managed frame (SQLite, kernel, GC, allocator)")
    print("by owner (innermost frame outside the runtime's own libraries):")
    owners = collections.Counter(owner(comm, frames) for comm, frames in stacks)
    for name, hits in owners.most_common(25):
        print(f"{100 * hits / total:6.2f}%  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
