#!/usr/bin/env python3
# Reads the per-commit trace that commit-trace.patch makes the group writer write (WORKFLOWHOST_DIAG_COMMITS=prefix, passed
# to the host as WORKFLOWHOST_BENCH_HOST_WORKFLOWHOST_DIAG_COMMITS): commit duration against whether the log was
# checkpointed during the commit (the wal-index nBackfill moved). Usage: commit-trace.py trace.csv ... (docs/benchmarks.md 17a)
# Columns: ticks, steps, pages written, commit ms, GC pause in commit ms, GC pause total ms, gen0, gen1, gen2,
# mxFrame before, nBackfill before, mxFrame after, nBackfill after[, passive, truncate, inline checkpoints].
import sys
for f in sys.argv[1:]:
    rows=[l.strip().split(',') for l in open(f) if l.strip()]
    if len(rows)<50: continue
    ck=[];ckn=0;other=[];othn=0; reset=0
    for r in rows:
        m=float(r[3]); n=int(r[1]); f0,b0,f1,b1=map(int,r[9:13])
        if b1!=b0 and b1>0: ck.append(m); ckn+=n
        else: other.append(m); othn+=n
        if f1<f0: reset+=1
    def d(x):
        s=sorted(x); q=lambda p:s[int(p*(len(s)-1))]
        return "n=%d p50 %.1f p90 %.1f mean %.1f sum %.0f"%(len(s),q(.5),q(.9),sum(s)/len(s),sum(s))
    print(f,"wal resets",reset, "max frames", max(int(r[11]) for r in rows))
    print("  commits that checkpointed (nBackfill moved):",d(ck),"steps",ckn)
    print("  others:",d(other),"steps",othn)
