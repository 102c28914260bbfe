using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Usage: WorkflowHost.Bench.Allocations <trace.nettrace> [votes] [rows] [focus] [callers]
// The runtime raises an allocation tick each time a heap has handed out about 100 KB and records the stack that crossed
// the line, so summing the ticks by call site is a sampled profile of who allocates. Each tick is charged to its
// innermost frame in our own code (WorkflowHost.*) and, separately, to its innermost frame outside the runtime's
// collection and string helpers, which names the library doing the allocating (EF Core, Kestrel, System.Text.Json…).
// With a focus (part of a frame's name), the ticks whose stack holds that frame are also listed by their whole stack
// down to it, so a call site's bytes can be told apart by what it called; with callers (a number), that many frames
// above the focus are shown too, so a library's allocation can be traced back to whoever asked for it.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: WorkflowHost.Bench.Allocations <trace.nettrace> [votes] [rows] [focus] [callers]");
    return 2;
}

var votes = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var rows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 25;
var focus = args.Length > 3 ? args[3] : null;
var callers = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var etlx = TraceLog.CreateFromEventPipeDataFile(args[0]);
using var log = new TraceLog(etlx);

var profile = new AllocationProfile(focus, callers);
foreach (var data in log.Events)
{
    if (data is GCAllocationTickTraceData tick)
    {
        profile.Add(tick.AllocationAmount64, tick.TypeName, Frames(tick.CallStack()));
    }
}

profile.Write(Console.Out, votes, rows);
return 0;

static List<string> Frames(TraceCallStack? stack)
{
    var frames = new List<string>();
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        var method = frame.CodeAddress.FullMethodName;
        frames.Add(string.IsNullOrEmpty(method) ? "?" + frame.CodeAddress.ModuleName : method);
    }

    return frames;
}
