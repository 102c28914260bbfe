using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>Start forms for the promotion consultation.</summary>
internal static class PromotionInput
{
    /// <summary>A valid identity number (GB 11643 check character X) and the only form of it the engine may keep.</summary>
    public const string IdNumber = "11010519491231002X";
    public const string MaskedIdNumber = "110***********002X";

    public static JsonObject Valid() => new()
    {
        ["kind"] = "promotion",
        ["nomineeName"] = "黄思远",
        ["nomineePost"] = "工艺工程师",
        ["partyMembership"] = "full-member",
        ["reason"] = "长期参加社区志愿服务，表现突出。",
        ["replyNeededBy"] = "2026-04-30",
    };

    public static JsonObject WithIdNumber()
    {
        var input = Valid();
        input["nomineeIdNumber"] = IdNumber;
        return input;
    }
}
