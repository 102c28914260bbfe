using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace WorkflowHost.Web.Tests;

/// <summary>
/// The real host on a real Kestrel port (a browser cannot reach WebApplicationFactory's in-memory TestServer), with the
/// repository's settings, workflows and seeds, on a SQLite file of its own, in Development (the demo password).
/// </summary>
public sealed class WebHost : WebApplicationFactory<Program>
{
    public string DataFolder { get; } = Directory.CreateTempSubdirectory("workflowhost-web-").FullName;

    public Uri Address { get; private set; } = null!;

    /// <summary>The host's clock when a scenario moves time (an overdue ballot); otherwise the system's.</summary>
    private TimeProvider? _time;

    public static WebHost Start(TimeProvider? time = null)
    {
        var host = new WebHost { _time = time };
        // Migrated once per run, not once per scenario: the host then finds no migration pending and does the rest
        // of its start-up (seeds with its own clock, definitions) as on an empty database.
        MigratedSqliteTemplate.CopyTo(Path.Combine(host.DataFolder, new WorkflowHost.Persistence.PersistenceOptions().SqliteFileName));
        host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        host.StartServer();
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        host.Address = new Uri(addresses.First());
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot);
        builder.UseEnvironment("Development");
        builder.UseSetting("Persistence:DataFolder", DataFolder);
        builder.UseSetting("WorkflowHost:WorkflowsFolder", Path.Combine(RepositoryRoot, "workflows"));
        builder.UseSetting("Accounts:SignInAttemptsPerMinute", "10000");
        builder.UseSetting("Accounts:PublicRequestsPerMinute", "10000");
        if (_time is { } time)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection; the OS cleans the temporary folder later.
        }
    }

    public static string RepositoryRoot => RepositoryPaths.Root;
}
