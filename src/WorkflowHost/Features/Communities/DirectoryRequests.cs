using FluentValidation;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Features.Communities;

/// <summary>A resident unit to add (with its id) or edit (with the version read).</summary>
public sealed record UnitRequest(
    string? Id,
    string? NameZh,
    string? NameEn,
    string? Kind,
    DateOnly? JoinedOn,
    DateOnly? AgreementSignedOn = null,
    string? AgreementText = null,
    int? Version = null,
    int? InServiceMembers = null)
{
    public UnitInput ToInput() => new(NameZh!, NameEn!, Kind!, JoinedOn!.Value, AgreementSignedOn, AgreementText, InServiceMembers);
}

/// <summary>A person to add (with their id) or edit (with the version read).</summary>
public sealed record PersonRequest(
    string? Id,
    string? NameZh,
    string? NameEn,
    string? UnitId = null,
    string? TitleZh = null,
    string? TitleEn = null,
    string? Email = null,
    string? Phone = null,
    string? Language = null,
    int? Version = null)
{
    public PersonInput ToInput() => new(NameZh!, NameEn!, string.IsNullOrWhiteSpace(UnitId) ? null : UnitId, TitleZh, TitleEn, Email, Phone, Language ?? "zh-CN");
}

/// <summary>The date something ended (a unit's membership, a role).</summary>
public sealed record EndRequest(DateOnly? On);

public sealed record RoleRequest(string? Role, DateOnly? From);

public sealed record TermMemberRequest(string? PersonId, string? Kind, string? UnitId = null);

public sealed record TermRequest(int? Number, DateOnly? StartsOn, IReadOnlyList<TermMemberRequest>? Members);

/// <summary>The words and limits the directory accepts, named once for validators, pages and the import.</summary>
public static class DirectoryRules
{
    public static readonly IReadOnlyList<string> UnitKinds = ["agency", "company", "school", "hospital", "public-institution", "other"];

    /// <summary>Roles a community administrator may grant. The street committee and the district sit above a community.</summary>
    public static readonly IReadOnlyList<string> CommunityRoles =
    [
        RoleNames.Secretary, RoleNames.CommitteeMember, RoleNames.Office, RoleNames.UnitLiaison, RoleNames.InServiceMember,
        RoleNames.CommunityAdministrator, RoleNames.Administrator,
    ];

    public static readonly IReadOnlyList<string> TermMemberKinds = [TermMemberKind.FullTime, TermMemberKind.PartTime];

    public const string IdPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";
}

internal sealed class UnitRequestValidator : AbstractValidator<UnitRequest>
{
    public UnitRequestValidator()
    {
        RuleFor(r => r.Id).Matches(DirectoryRules.IdPattern).WithMessage("A lower-case id of letters, digits and dashes, e.g. unit-xinhua-clinic.")
            .MaximumLength(64).When(r => r.Id is not null);
        RuleFor(r => r.NameZh).NotEmpty().MaximumLength(200);
        RuleFor(r => r.NameEn).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Kind).NotEmpty().Must(k => DirectoryRules.UnitKinds.Contains(k!))
            .WithMessage($"One of: {string.Join(", ", DirectoryRules.UnitKinds)}.");
        RuleFor(r => r.JoinedOn).NotNull();
        RuleFor(r => r.AgreementText).MaximumLength(20000);
        RuleFor(r => r.AgreementText).NotEmpty().When(r => r.AgreementSignedOn is not null)
            .WithMessage("A signed agreement needs its text.");
        RuleFor(r => r.AgreementSignedOn).NotNull().When(r => !string.IsNullOrWhiteSpace(r.AgreementText))
            .WithMessage("An agreement's text needs the date it was signed.");
        RuleFor(r => r.Version).GreaterThanOrEqualTo(0);

        // The denominator of the unit's registration rate on the dashboard (在职党员总数); 0 is a unit with none.
        RuleFor(r => r.InServiceMembers).InclusiveBetween(0, 100000);
    }
}

internal sealed class PersonRequestValidator : AbstractValidator<PersonRequest>
{
    public PersonRequestValidator()
    {
        RuleFor(r => r.Id).Matches(DirectoryRules.IdPattern).WithMessage("A lower-case id of letters, digits and dashes, e.g. p-liaison-sun.")
            .MaximumLength(64).When(r => r.Id is not null);
        RuleFor(r => r.NameZh).NotEmpty().MaximumLength(100);
        RuleFor(r => r.NameEn).NotEmpty().MaximumLength(100);
        RuleFor(r => r.UnitId).MaximumLength(64);
        RuleFor(r => r.TitleZh).MaximumLength(200);
        RuleFor(r => r.TitleEn).MaximumLength(200);
        RuleFor(r => r.Email).EmailAddress().MaximumLength(254).When(r => !string.IsNullOrWhiteSpace(r.Email));
        RuleFor(r => r.Phone).Matches(@"^\+?[0-9]{6,15}$").WithMessage("Digits only, optionally with a leading +.")
            .When(r => !string.IsNullOrWhiteSpace(r.Phone));
        RuleFor(r => r.Language).Must(l => l is null or "zh-CN" or "en").WithMessage("zh-CN or en.");
        RuleFor(r => r.Version).GreaterThanOrEqualTo(0);
    }
}

internal sealed class EndRequestValidator : AbstractValidator<EndRequest>
{
    public EndRequestValidator() => RuleFor(r => r.On).NotNull().WithMessage("The date it ended.");
}

internal sealed class RoleRequestValidator : AbstractValidator<RoleRequest>
{
    public RoleRequestValidator()
    {
        RuleFor(r => r.Role).NotEmpty().Must(r => DirectoryRules.CommunityRoles.Contains(r!))
            .WithMessage($"One of: {string.Join(", ", DirectoryRules.CommunityRoles)}.");
        RuleFor(r => r.From).NotNull();
    }
}

internal sealed class TermRequestValidator : AbstractValidator<TermRequest>
{
    public TermRequestValidator()
    {
        RuleFor(r => r.Number).NotNull().InclusiveBetween(1, 1000);
        RuleFor(r => r.StartsOn).NotNull();
        RuleFor(r => r.Members).NotEmpty().Must(m => m is null || m.Count <= 100).WithMessage("At most 100 members.")
            .Must(m => m is null || m.Select(x => x.PersonId).Distinct(StringComparer.Ordinal).Count() == m.Count).WithMessage("Each person once.");
        RuleForEach(r => r.Members).ChildRules(member =>
        {
            member.RuleFor(m => m.PersonId).NotEmpty().MaximumLength(64);
            member.RuleFor(m => m.Kind).NotEmpty().Must(k => DirectoryRules.TermMemberKinds.Contains(k!))
                .WithMessage($"One of: {string.Join(", ", DirectoryRules.TermMemberKinds)}.");
            member.RuleFor(m => m.UnitId).NotEmpty().When(m => m.Kind == TermMemberKind.PartTime)
                .WithMessage("A part-time member comes from a resident unit.");
            member.RuleFor(m => m.UnitId).Empty().When(m => m.Kind == TermMemberKind.FullTime)
                .WithMessage("A full-time member has no unit.");
        });
    }
}

/// <summary>A unit's total of in-service party members (在职党员总数); null clears it (then no registration rate is shown).</summary>
public sealed record InServiceTotalRequest(int? InServiceMembers);

internal sealed class InServiceTotalRequestValidator : AbstractValidator<InServiceTotalRequest>
{
    public InServiceTotalRequestValidator()
    {
        RuleFor(r => r.InServiceMembers).InclusiveBetween(0, 100000);
    }
}
