using System.Globalization;
using FluentValidation;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;

namespace WorkflowHost.Features.Replies;

/// <summary>What a verified reply says, in both languages where the directory has both; the nominee's name masked.</summary>
public sealed record VerifiedReply(
    string Number, DateOnly IssuedOn, LocalizedText Community, LocalizedText? Unit, LocalizedText? Process, LocalizedText? Matter,
    string? Outcome, string? MaskedNominee);

/// <summary>
/// Finds a reply by its number and code, for the public API and the public page alike. It tells what the unit's HR needs
/// to rely on the paper (number, date, unit, kind of matter, decision) and no more: the nominee's name only masked (周**),
/// enough to match the paper in hand, too little to learn who was proposed from a number (docs/decisions/0098).
/// </summary>
public sealed class ReplyVerifier(IDbContextFactory<WorkflowDbContext> contexts, ReplyCodes codes, DefinitionCatalog catalog, IWorkingCalendar calendar)
{
    public async Task<VerifiedReply?> VerifyAsync(string number, string code, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var trimmed = number.Trim();
        var candidates = await db.IssuedNumbers.AsNoTracking().Where(n => n.Number == trimmed).ToListAsync(cancellationToken);
        var match = candidates.FirstOrDefault(n => codes.Matches(n, code));
        if (match is null)
        {
            return null;
        }

        var instance = await db.Instances.AsNoTracking().Where(i => i.Id == match.InstanceId)
            .Select(i => new { i.DefinitionId, i.Result, i.UnitId, i.StateJson }).FirstAsync(cancellationToken);
        var community = await db.Communities.AsNoTracking().Where(c => c.Id == match.CommunityId).FirstAsync(cancellationToken);
        var unit = instance.UnitId is null ? null
            : await db.Units.AsNoTracking().Where(u => u.Id == instance.UnitId).Select(u => LocalizedText.Of(u.NameZh, u.NameEn)).FirstOrDefaultAsync(cancellationToken);
        var definition = catalog.Current(instance.DefinitionId);
        var input = JsonNode.Parse(instance.StateJson)?["input"] as JsonObject;
        var kind = Text(input?["kind"]);
        var matter = kind is null ? null : definition?.Inputs.FirstOrDefault(f => f.Name == "kind")?.Options.FirstOrDefault(o => o.Value == kind)?.Label;
        return new VerifiedReply(match.Number, calendar.DateOf(match.IssuedAt), LocalizedText.Of(community.NameZh, community.NameEn), unit,
            definition?.Name, matter, instance.Result, Text(input?["nomineeName"]) is { } name ? Mask(name) : null);
    }

    /// <summary>The first character, then one star for each further character: 周立新 → 周**, Zhou → Z***.</summary>
    public static string Mask(string name)
    {
        var characters = new StringInfo(name.Trim());
        return characters.LengthInTextElements <= 1 ? "*" : characters.SubstringByTextElements(0, 1) + new string('*', characters.LengthInTextElements - 1);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>A reply number and its verification code, as typed or read from the QR code.</summary>
public sealed record ReplyLookup(string? Number, string? Code);

internal sealed class ReplyLookupValidator : AbstractValidator<ReplyLookup>
{
    public ReplyLookupValidator()
    {
        RuleFor(l => l.Number).Must(n => !string.IsNullOrWhiteSpace(n) && n.Length <= 64)
            .WithMessage("'number' is required: the reply number, e.g. 2026-0001.");
        RuleFor(l => l.Code).Must(c => !string.IsNullOrWhiteSpace(c) && c.Length <= 40)
            .WithMessage("'code' is required: the verification code printed on the reply.");
    }
}
