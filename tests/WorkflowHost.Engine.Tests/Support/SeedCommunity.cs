using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>The people of <c>seeds/community.json</c> as a directory, with the ids the tests use by name.</summary>
internal static class SeedCommunity
{
    public const string CommunityId = "binhe";
    public const string CommitteeRole = "committee-member";

    public const string Secretary = "p-secretary-wang";
    public const string OfficeXie = "p-office-xie";
    public const string Admin = "p-admin-shen";
    public const string MemberLi = "p-member-li";

    /// <summary>Detai Precision has a committee member (Zheng), who is recused from its consultations.</summary>
    public const string DetaiUnit = "unit-detai-precision";
    public const string DetaiLiaison = "p-liaison-tang";
    public const string DetaiMember = "p-member-zheng";

    /// <summary>The shopping centre has no committee member: nobody is recused automatically.</summary>
    public const string ShoppingCentreLiaison = "p-liaison-yuan";
    public const string LawFirmLiaison = "p-liaison-jiang";

    private static readonly Lazy<ParticipantDirectory> LazyDirectory = new(Load);

    public static ParticipantDirectory Directory => LazyDirectory.Value;

    /// <summary>The 14 committee members in id order.</summary>
    public static IReadOnlyList<string> CommitteeMembers => [.. Directory.InRole(CommitteeRole).Select(p => p.Id)];

    /// <summary>Committee members other than <paramref name="excluded"/>, in id order.</summary>
    public static IReadOnlyList<string> MembersExcept(params string[] excluded) =>
        [.. CommitteeMembers.Where(m => !excluded.Contains(m))];

    /// <summary>The seed community with <paramref name="personId"/> on leave (请假) as given.</summary>
    public static ParticipantDirectory WithAbsence(string personId, PersonAbsence absence) =>
        new(LoadPeople().Select(p => p.Id == personId ? p with { Absence = absence } : p));

    private static ParticipantDirectory Load() => new(LoadPeople());

    private static List<DirectoryPerson> LoadPeople()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, "community.json")))!;
        var people = root["people"]!.AsArray().Select(p => new DirectoryPerson(
            p!["id"]!.GetValue<string>(),
            p["unitId"]?.GetValue<string>(),
            p["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
            p["language"]!.GetValue<string>()));
        return people.ToList();
    }
}
