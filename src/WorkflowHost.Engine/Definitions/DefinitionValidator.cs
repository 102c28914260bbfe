using FluentValidation;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Engine.Definitions;

/// <summary>
/// Everything that must hold for a definition to run: well-formed fields, each activity's own rules, and the graph
/// (no unknown targets, every outcome handled, everything reachable, and an end reachable from everywhere).
/// </summary>
public sealed class DefinitionValidator : AbstractValidator<WorkflowDefinition>
{
    internal const string IdPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";
    public const int MaxActivities = 200;

    public DefinitionValidator()
    {
        RuleFor(d => d.Id).NotEmpty().MaximumLength(64).Matches(IdPattern)
            .WithMessage("an id is lower-case words joined by hyphens, such as 'promotion-consultation'");
        RuleFor(d => d.Version).InclusiveBetween(1, 1_000_000);
        RuleFor(d => d.Name).SetValidator(new LocalizedTextValidator());
        RuleFor(d => d.Description!).SetValidator(new LocalizedTextValidator()).When(d => d.Description is not null);
        RuleForEach(d => d.StartableBy).NotEmpty().Matches(IdPattern);

        RuleForEach(d => d.Inputs).SetValidator(new InputFieldValidator());
        RuleFor(d => d.Inputs).Must(HaveUniqueNames).WithMessage("input field names must be unique");
        RuleFor(d => d.Inputs).Custom((inputs, context) =>
        {
            foreach (var problem in FieldLists.Problems(inputs))
            {
                context.AddFailure(problem);
            }
        });
        RuleForEach(d => d.CommentableBy).NotEmpty().Matches(IdPattern);
        RuleFor(d => d.CommentFiles!.AsField()).SetValidator(new InputFieldValidator()).OverridePropertyName("CommentFiles")
            .When(d => d.CommentFiles is not null);

        RuleFor(d => d.Copy!.To).NotEmpty().OverridePropertyName("Copy.To").When(d => d.Copy is not null)
            .WithMessage("'copy' names whom a case may be copied to");
        RuleForEach(d => d.Copy!.To).SetValidator(new SelectorValidator()).OverridePropertyName("Copy.To").When(d => d.Copy is not null);

        RuleFor(d => d.Activities).NotEmpty().WithMessage("a definition needs at least one activity");
        RuleFor(d => d.Activities.Count).LessThanOrEqualTo(MaxActivities).OverridePropertyName("Activities");
        RuleForEach(d => d.Activities).SetInheritanceValidator(v =>
        {
            v.Add(new HumanTaskValidator());
            v.Add(new BallotValidator());
            v.Add(new DecisionValidator());
            v.Add(new TimerValidator());
            v.Add(new NotifyValidator());
            v.Add(new IssueNumberValidator());
            v.Add(new EndValidator());
            v.Add(new FlowValidator<ParallelSplitActivity>());
            v.Add(new FlowValidator<JoinActivity>());
            v.Add(new TaskPerItemValidator());
            v.Add(new CollectValidator());
            v.Add(new LookupValidator());
            v.Add(new IssueDocumentValidator());
            v.Add(new RecordValidator());
            v.Add(new FlowValidator<ReleaseReservationsActivity>());
        });

        RuleFor(d => d).Custom((definition, context) =>
        {
            foreach (var (path, reason) in GraphCheck.Problems(definition))
            {
                context.AddFailure(path, reason);
            }
        }).When(d => d.Activities.Count > 0);
    }

    private static bool HaveUniqueNames(IReadOnlyList<InputField> inputs) =>
        inputs.Select(i => i.Name).Distinct(StringComparer.Ordinal).Count() == inputs.Count;
}

internal sealed class LocalizedTextValidator : AbstractValidator<LocalizedText>
{
    public LocalizedTextValidator()
    {
        RuleFor(t => t.ZhCn).NotEmpty().WithMessage("the Chinese text (zh-CN) is required").MaximumLength(500);
        RuleFor(t => t.En).NotEmpty().WithMessage("the English text (en) is required").MaximumLength(500);
    }
}

internal sealed class InputFieldValidator : AbstractValidator<InputField>
{
    public const int MaxItemsLimit = 200;

    public const int MaxFilesLimit = InputFieldLimits.MaxFiles;

    private static readonly HashSet<string> FileKindNames = [.. Enum.GetNames<FileKind>().Select(n => n.ToLowerInvariant())];

    public const long MaxBytesLimit = InputFieldLimits.MaxBytes;

    public InputFieldValidator(bool nested = false)
    {
        RuleFor(f => f.Name).NotEmpty().MaximumLength(64).Matches("^[a-zA-Z][a-zA-Z0-9]*$")
            .WithMessage("a field name is letters and digits, starting with a letter");
        RuleFor(f => f.Label).SetValidator(new LocalizedTextValidator());
        RuleFor(f => f.Help!).SetValidator(new LocalizedTextValidator()).When(f => f.Help is not null);
        RuleFor(f => f).Must(f => f.Min is null && f.Max is null).When(f => f.Type is not (InputFieldType.Integer or InputFieldType.Decimal))
            .OverridePropertyName("Min").WithMessage("min and max apply to number fields only");
        RuleFor(f => f.MaxLength).InclusiveBetween(1, 20_000).When(f => f.MaxLength is not null);
        RuleFor(f => f.MaxLength).Null().When(f => f.Type is not (InputFieldType.Text or InputFieldType.MultilineText))
            .WithMessage("maxLength applies to text fields only");
        RuleFor(f => f.Options).NotEmpty().When(f => f.Type == InputFieldType.Choice)
            .WithMessage("a choice field needs options");
        RuleFor(f => f.Options).Empty().When(f => f.Type != InputFieldType.Choice)
            .WithMessage("options apply to choice fields only");
        RuleFor(f => f.Options).Must(o => o.Select(x => x.Value).Distinct().Count() == o.Count)
            .WithMessage("option values must be unique");
        RuleForEach(f => f.Options).ChildRules(option =>
        {
            option.RuleFor(o => o.Value).NotEmpty().MaximumLength(64);
            option.RuleFor(o => o.Label).SetValidator(new LocalizedTextValidator());
        });
        RuleFor(f => f).Must(f => f.Min is null || f.Max is null || f.Min <= f.Max)
            .WithMessage("min must not be greater than max").OverridePropertyName("Min");
        RuleFor(f => f.NotInPast).Equal(false).When(f => f.Type != InputFieldType.Date)
            .WithMessage("notInPast applies to date fields only");
        RuleFor(f => f.Role).Null().When(f => f.Type != InputFieldType.Person)
            .WithMessage("role applies to person fields only");
        RuleFor(f => f.Role).Matches(DefinitionValidator.IdPattern).When(f => f.Role is not null);
        RuleFor(f => f.RequiredIf).Null().When(f => f.Required)
            .WithMessage("a field is either required or requiredIf, not both");
        RuleFor(f => f.Items).Null().When(f => f.Type != InputFieldType.List)
            .WithMessage("items apply to list fields only");
        RuleFor(f => f.MaxItems).Null().When(f => f.Type != InputFieldType.List)
            .WithMessage("maxItems applies to list fields only");
        RuleFor(f => f.MaxItems).InclusiveBetween(1, MaxItemsLimit).When(f => f.MaxItems is not null);
        RuleFor(f => f.MaxFiles).Null().When(f => f.Type != InputFieldType.File)
            .WithMessage("maxFiles applies to file fields only");
        RuleFor(f => f.MaxBytes).Null().When(f => f.Type != InputFieldType.File)
            .WithMessage("maxBytes applies to file fields only");
        RuleFor(f => f.Kinds).Null().When(f => f.Type != InputFieldType.File)
            .WithMessage("kinds applies to file fields only");
        RuleFor(f => f.MaxFiles).InclusiveBetween(1, MaxFilesLimit).When(f => f.MaxFiles is not null);
        RuleFor(f => f.MaxBytes).InclusiveBetween(1, MaxBytesLimit).When(f => f.MaxBytes is not null)
            .WithMessage($"maxBytes must be between 1 and {MaxBytesLimit} (the host's upload limit)");
        RuleFor(f => f.Kinds).Must(k => k!.Count > 0 && k.Distinct().Count() == k.Count).When(f => f.Kinds is not null)
            .WithMessage("kinds lists each kind once, at least one (pdf, jpeg, png, docx, xlsx, ofd)");
        RuleForEach(f => f.Kinds).Must(k => FileKindNames.Contains(k)).When(f => f.Kinds is not null)
            .WithMessage("kinds: '{PropertyValue}' is not a kind of file; use pdf, jpeg, png, docx, xlsx or ofd");
        if (nested)
        {
            RuleFor(f => f.Type).NotEqual(InputFieldType.List).WithMessage("a list item cannot hold another list (one level only)");
        }
        else
        {
            RuleFor(f => f.Items).Must(items => items is { Count: > 0 }).When(f => f.Type == InputFieldType.List)
                .WithMessage("a list field needs its item fields ('items')");
            RuleForEach(f => f.Items).SetValidator(new InputFieldValidator(nested: true)).When(f => f.Items is not null);
            RuleFor(f => f.Items).Must(items => items!.Select(i => i.Name).Distinct(StringComparer.Ordinal).Count() == items!.Count)
                .When(f => f.Items is not null).WithMessage("item field names must be unique");
            RuleFor(f => f.Items).Custom((items, context) =>
            {
                foreach (var problem in FieldLists.Problems(items ?? []))
                {
                    context.AddFailure(problem);
                }
            });
        }
    }
}

internal sealed class DurationValidator : AbstractValidator<Time.DurationSpec>
{
    public DurationValidator()
    {
        RuleFor(d => d.UnitsSet).Equal(1).OverridePropertyName("")
            .WithMessage("a duration sets exactly one of workingDays, days, hours, minutes, seconds");
        RuleFor(d => d.WorkingDays).InclusiveBetween(0, 250);
        RuleFor(d => d.Days).InclusiveBetween(1, 366);
        RuleFor(d => d.Hours).InclusiveBetween(1, 24 * 366);
        RuleFor(d => d.Minutes).InclusiveBetween(1, 60 * 24 * 366);
        RuleFor(d => d.Seconds).InclusiveBetween(1, 60 * 60 * 24 * 366);
    }
}

internal sealed class SelectorValidator : AbstractValidator<ParticipantSelector>
{
    public SelectorValidator()
    {
        RuleFor(s => s.WaysSet).Equal(1).OverridePropertyName("")
            .WithMessage("choose people in exactly one way: role, unit, initiator or member");
        RuleFor(s => s.Role).Matches(DefinitionValidator.IdPattern).When(s => s.Role is not null);
        RuleFor(s => s.Unit).Matches(DefinitionValidator.IdPattern).When(s => s.Unit is not null);
        RuleFor(s => s.Member).Matches(DefinitionValidator.IdPattern).When(s => s.Member is not null);
    }
}

/// <summary>Rules that need a whole list of fields at once (a form, a list's items, a collection's items, a task's form).</summary>
internal static class FieldLists
{
    public static IEnumerable<string> Problems(IReadOnlyList<InputField> fields)
    {
        if (fields.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != fields.Count)
        {
            yield return "field names must be unique";
        }

        foreach (var field in fields.Where(f => f.RequiredIf is not null))
        {
            var other = fields.FirstOrDefault(f => f.Name == field.RequiredIf!.Field && f != field);
            if (other is null)
            {
                yield return $"'{field.Name}': requiredIf names '{field.RequiredIf!.Field}', which is not another field of the same form";
            }
        }
    }
}

/// <summary>Limits of <c>file</c> fields that the host shares (its upload limit defaults to <see cref="MaxBytes"/>).</summary>
public static class InputFieldLimits
{
    public const int MaxFiles = 20;

    /// <summary>The largest file a definition may allow (100 MiB).</summary>
    public const long MaxBytes = 100L * 1024 * 1024;
}
