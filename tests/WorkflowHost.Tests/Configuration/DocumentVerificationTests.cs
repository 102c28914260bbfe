using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Configuration;

/// <summary>The host publishes the three processes and can make and check documents' verification codes.</summary>
public sealed class DocumentVerificationTests
{
    [Fact]
    public async Task The_host_publishes_the_three_processes_and_makes_verification_codes()
    {
        await using var factory = new HostFactory();
        factory.CreateClient().Dispose();

        var catalog = factory.Services.GetRequiredService<Persistence.Definitions.DefinitionCatalog>();
        Assert.Subset(catalog.Published.Select(d => d.Id).ToHashSet(), new HashSet<string> { "activity-co-organisation", "joint-affairs-discussion", "promotion-consultation" });
        var codes = factory.Services.GetRequiredService<DocumentCodes>(); // the Development key of appsettings.Development.json
        Assert.True(codes.Matches("{}", codes.CodeFor("{}")));
        Assert.False(codes.Matches("{\"a\":1}", codes.CodeFor("{}")));
    }

    [Fact]
    public async Task A_configured_key_is_the_one_used()
    {
        var key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        await using var factory = new HostFactory(new Dictionary<string, string?> { ["Replies:VerificationKey"] = key });
        factory.CreateClient().Dispose();

        Assert.Equal(DocumentCodes.FromBase64(key).CodeFor("{}"), factory.Services.GetRequiredService<DocumentCodes>().CodeFor("{}"));
    }
}
