using System.Diagnostics;
using System.Globalization;
using System.Text;

// Usage: WorkflowHost.Bench.Floor [seconds per round] [rounds]
// Starts itself again as the server ("serve PORT"), a child process like the load bench's host, then drives it.
if (args is ["serve", var servePort])
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls($"http://127.0.0.1:{servePort}");
    var app = builder.Build();
    app.MapPost("/instances/{id:guid}/votes", (Guid id, VoteBody body) => Results.Json(new VoteAnswer(id, body.Choice, "Running")));
    await app.RunAsync();
    return 0;
}

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
const int Clients = 16;
var port = Random.Shared.Next(20_000, 60_000);
var self = Environment.ProcessPath!;
var start = self.EndsWith("dotnet", StringComparison.Ordinal)
    ? new ProcessStartInfo(self, [typeof(Program).Assembly.Location, "serve", port.ToString(CultureInfo.InvariantCulture)])
    : new ProcessStartInfo(self, ["serve", port.ToString(CultureInfo.InvariantCulture)]);
using var server = Process.Start(start)!;
try
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    await WaitUntilUpAsync(http);
    await RoundAsync(http, TimeSpan.FromSeconds(10)); // warm-up: the JIT, both sides
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Clients} clients, a JSON POST answered with JSON, {Environment.ProcessorCount} cores"));
    for (var round = 1; round <= rounds; round++)
    {
        server.Refresh();
        var serverBefore = server.TotalProcessorTime;
        var requests = await RoundAsync(http, TimeSpan.FromSeconds(seconds));
        server.Refresh();
        var cpu = (server.TotalProcessorTime - serverBefore).TotalMilliseconds / requests;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {requests / (double)seconds:F0} requests/s, server CPU {cpu:F3} ms/request"));
    }
}
finally
{
    server.Kill();
}

return 0;

static async Task<int> RoundAsync(HttpClient http, TimeSpan length)
{
    var count = 0;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
    {
        while (watch.Elapsed < length)
        {
            using var body = new StringContent("""{"choice":"consent","reason":null}""", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri($"/instances/{Guid.NewGuid()}/votes", UriKind.Relative), body);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            Interlocked.Increment(ref count);
        }
    }));
    return count;
}

static async Task WaitUntilUpAsync(HttpClient http)
{
    for (var attempt = 0; ; attempt++)
    {
        try
        {
            using var probe = await http.GetAsync(new Uri("/", UriKind.Relative));
            return;
        }
        catch (HttpRequestException) when (attempt < 100)
        {
            await Task.Delay(100);
        }
    }
}

internal sealed record VoteBody(string Choice, string? Reason);

internal sealed record VoteAnswer(Guid InstanceId, string Choice, string Status);
