using System.Text.Json.Nodes;

namespace WorkflowHost.Bench.Load;

/// <summary>
/// The promotion consultation fixes its ballot as open (<c>"secret": false</c>, no <c>secretFrom</c>), so the secret
/// variant is a copy of the shipped definition with a secret ballot and its own id. It is written next to copies of the
/// shipped definitions into the folder the bench's host reads, at run time, so it never drifts from the original.
/// </summary>
internal static class SecretVariant
{
    public const string OpenDefinitionId = "promotion-consultation";
    public const string DefinitionId = "promotion-consultation-secret";
    private const string BallotActivity = "committee-ballot";

    public static string WriteWorkflowsFolder(string repositoryRoot, string folder)
    {
        Directory.CreateDirectory(folder);
        var shipped = Path.Combine(repositoryRoot, "workflows");
        foreach (var file in Directory.GetFiles(shipped, "*.json"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }

        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(shipped, OpenDefinitionId + ".json")))!.AsObject();
        definition["id"] = DefinitionId;
        definition["name"] = new JsonObject
        {
            ["zh-CN"] = definition["name"]!["zh-CN"]!.GetValue<string>() + "（无记名表决，压测）",
            ["en"] = definition["name"]!["en"]!.GetValue<string>() + " (secret ballot, load test)",
        };
        var ballot = definition["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == BallotActivity)!.AsObject();
        ballot["secret"] = true;
        File.WriteAllText(Path.Combine(folder, DefinitionId + ".json"), definition.ToJsonString());
        return folder;
    }
}
