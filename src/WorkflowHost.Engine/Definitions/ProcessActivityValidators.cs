using FluentValidation;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Definitions;

/// <summary>The rules of a form attached to a task (a human task's <c>fields</c>, an item task's <c>fields</c>).</summary>
internal sealed class TaskFormRules<T> : AbstractValidator<T>
{
    public TaskFormRules(Func<T, IReadOnlyList<InputField>> fields, Func<T, IReadOnlyList<string>?> fieldsFor, Func<T, IReadOnlyList<string>> outcomes)
    {
        RuleForEach(a => fields(a)).SetValidator(new InputFieldValidator()).OverridePropertyName("Fields");
        RuleFor(a => fields(a)).Custom((list, context) =>
        {
            foreach (var problem in FieldLists.Problems(list))
            {
                context.AddFailure("Fields", problem);
            }
        });
        RuleFor(a => fieldsFor(a)).Must((a, list) => list!.All(o => outcomes(a).Contains(o)))
            .When(a => fieldsFor(a) is not null).OverridePropertyName("FieldsFor")
            .WithMessage("fieldsFor names an outcome the task does not declare");
        RuleFor(a => fieldsFor(a)).Null().When(a => fields(a).Count == 0).OverridePropertyName("FieldsFor")
            .WithMessage("fieldsFor needs fields");
    }
}

internal static class PathRules
{
    public static readonly string Message = $"a field path starts with one of: {string.Join(", ", DataPath.Roots)}";

    public static readonly string ItemMessage = $"a field path starts with one of: {string.Join(", ", DataMap.ItemRoots)}";

    public const string NamePattern = "^[a-zA-Z][a-zA-Z0-9]*$";

    public static bool Valid(string? path) => DataPath.IsValid(path);

    public static bool ValidForItem(string? path) => DataPath.IsValid(path, DataMap.ItemRoots);

    public static bool NamesValid(IReadOnlyDictionary<string, string> map) => map.Keys.All(k => k.Length <= 64 && System.Text.RegularExpressions.Regex.IsMatch(k, NamePattern));
}

internal sealed class TaskPerItemValidator : ActivityValidator<TaskPerItemActivity>
{
    public TaskPerItemValidator()
    {
        RuleFor(a => a.Items).Must(PathRules.Valid).WithMessage(PathRules.Message);
        RuleFor(a => a).Must(a => (a.AssignUnit is null) != (a.Assignee is null)).OverridePropertyName("")
            .WithMessage("assign each task in exactly one way: 'assignUnit' (a path to a unit id) or 'assignee'");
        RuleFor(a => a.AssignUnit).Must(PathRules.ValidForItem).When(a => a.AssignUnit is not null).WithMessage(PathRules.ItemMessage);
        RuleFor(a => a.Assignee!).SetValidator(new SelectorValidator()).When(a => a.Assignee is not null);
        RuleFor(a => a).Must(a => a.DueDate is null || a.Due is null).OverridePropertyName("")
            .WithMessage("set at most one of 'dueDate' (a path to a date) and 'due' (a duration)");
        RuleFor(a => a.DueDate).Must(PathRules.ValidForItem).When(a => a.DueDate is not null).WithMessage(PathRules.ItemMessage);
        RuleFor(a => a.Due!).SetValidator(new DurationValidator()).When(a => a.Due is not null);
        RuleFor(a => a.Moves!).SetValidator(new TaskMoveRulesValidator()).When(a => a.Moves is not null);
        RuleFor(a => a.Remind).Must(l => l is null || l.Count == 0).When(a => a.Due is null && a.DueDate is null)
            .WithMessage("reminders count back from a deadline: set 'due' or 'dueDate'");
        RuleFor(a => a.Escalate).Must(l => l is null || l.Count == 0).When(a => a.Due is null && a.DueDate is null)
            .WithMessage("escalations count from a deadline: set 'due' or 'dueDate'");
        RuleForEach(a => a.Remind).SetValidator(new ReminderStepValidator());
        RuleForEach(a => a.Escalate).SetValidator(new EscalationStepValidator());
        RuleFor(a => a.Title).Must(PathRules.ValidForItem).When(a => a.Title is not null).WithMessage(PathRules.ItemMessage);
        RuleFor(a => a.Instructions!).SetValidator(new LocalizedTextValidator()).When(a => a.Instructions is not null);
        RuleFor(a => a.Outcomes).NotEmpty().WithMessage("an item task needs at least one outcome");
        RuleFor(a => a.Outcomes).Must(o => o.Select(x => x.Name).Distinct().Count() == o.Count).WithMessage("outcome names must be unique");
        RuleForEach(a => a.Outcomes).ChildRules(o =>
        {
            o.RuleFor(x => x.Name).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
            o.RuleFor(x => x.Label!).SetValidator(new LocalizedTextValidator()).When(x => x.Label is not null);
        });
        Include(new TaskFormRules<TaskPerItemActivity>(a => a.Fields, a => a.FieldsFor, a => [.. a.Outcomes.Select(o => o.Name)]));
        RuleFor(a => a.ClosableBy!).SetValidator(new SelectorValidator()).When(a => a.ClosableBy is not null);
        RuleFor(a => a.ExtendableBy!).SetValidator(new SelectorValidator()).When(a => a.ExtendableBy is not null);
        RuleFor(a => a.ExtendableBy).Null().When(a => a.Due is null && a.DueDate is null)
            .WithMessage("only a task with a deadline can have it extended: set 'due' or 'dueDate'");
    }
}

internal sealed class CollectValidator : ActivityValidator<CollectActivity>
{
    public CollectValidator()
    {
        RuleFor(a => a.Contributors).SetValidator(new SelectorValidator());
        RuleFor(a => a.ClosedBy).SetValidator(new SelectorValidator());
        RuleFor(a => a.Fields).NotEmpty().WithMessage("a collection needs the fields of its items");
        RuleForEach(a => a.Fields).SetValidator(new InputFieldValidator());
        RuleFor(a => a.Fields).Custom((list, context) =>
        {
            foreach (var problem in FieldLists.Problems(list))
            {
                context.AddFailure(problem);
            }
        });
        RuleFor(a => a.MaxItems).InclusiveBetween(1, 1000).When(a => a.MaxItems is not null);
        RuleFor(a => a.ClosesAfter!).SetValidator(new DurationValidator()).When(a => a.ClosesAfter is not null);
        RuleFor(a => a.Instructions!).SetValidator(new LocalizedTextValidator()).When(a => a.Instructions is not null);
        When(a => a.Reserve is not null, () =>
        {
            RuleFor(a => a.Reserve!.Resource).Must((a, name) => FieldOf(a, name, InputFieldType.Text, InputFieldType.Choice))
                .WithMessage("'resource' must name a text or choice field of the items");
            RuleFor(a => a.Reserve!.From).Must((a, name) => FieldOf(a, name, InputFieldType.Time)).WithMessage("'from' must name a time field of the items");
            RuleFor(a => a.Reserve!.To).Must((a, name) => FieldOf(a, name, InputFieldType.Time)).WithMessage("'to' must name a time field of the items");
            RuleFor(a => a.Reserve).Must(r => (r!.Date is null) != (r.DateField is null))
                .WithMessage("a reservation takes its day from exactly one of 'date' (a path) and 'dateField' (an item field)");
            RuleFor(a => a.Reserve!.Date).Must(PathRules.Valid).When(a => a.Reserve!.Date is not null).WithMessage(PathRules.Message);
            RuleFor(a => a.Reserve!.DateField).Must((a, name) => FieldOf(a, name!, InputFieldType.Date)).When(a => a.Reserve!.DateField is not null)
                .WithMessage("'dateField' must name a date field of the items");
            RuleFor(a => a.Reserve!.OnlyIf!.Field).Must((a, name) => a.Fields.Any(f => f.Name == name)).When(a => a.Reserve!.OnlyIf is not null)
                .WithMessage("'onlyIf' must test a field of the items");
        });
    }

    private static bool FieldOf(CollectActivity activity, string name, params InputFieldType[] types) =>
        activity.Fields.Any(f => f.Name == name && types.Contains(f.Type));
}

internal sealed class LookupValidator : ActivityValidator<LookupActivity>
{
    public LookupValidator()
    {
        RuleFor(a => a.Provider).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
        RuleFor(a => a.Parameters).Must(PathRules.NamesValid).WithMessage("a parameter name is letters and digits, starting with a letter");
        RuleFor(a => a.Parameters).Must(p => p.Values.All(PathRules.Valid)).WithMessage(PathRules.Message);
    }
}

internal sealed class IssueDocumentValidator : ActivityValidator<IssueDocumentActivity>
{
    public IssueDocumentValidator()
    {
        RuleFor(a => a.Document).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
        RuleFor(a => a.Series).NotEmpty().MaximumLength(32).Matches(DefinitionValidator.IdPattern);
        RuleFor(a => a.Format).NotEmpty().MaximumLength(64)
            .Must(f => System.Text.RegularExpressions.Regex.IsMatch(f, @"\{seq(:0+)?\}"))
            .WithMessage("the format must contain {seq} or a padded {seq:0000}");
        RuleFor(a => a.Content).NotEmpty().WithMessage("a document needs content");
        RuleFor(a => a.Content).Must(c => c.Keys.All(k => k.Length <= 64 && System.Text.RegularExpressions.Regex.IsMatch(k, PathRules.NamePattern)))
            .WithMessage("a content name is letters and digits, starting with a letter");
        RuleFor(a => a.Content).Must(c => c.Values.All(v => (v.From is null) != (v.Value is null)))
            .WithMessage("each content value is either { \"from\": path } or { \"value\": literal }");
        RuleFor(a => a.Content).Must(c => c.Values.All(v => v.From is null || PathRules.Valid(v.From))).WithMessage(PathRules.Message);
    }
}

internal sealed class RecordValidator : ActivityValidator<RecordActivity>
{
    public RecordValidator()
    {
        RuleFor(a => a.Register).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
        RuleFor(a => a.Values).Must(PathRules.NamesValid).WithMessage("a value name is letters and digits, starting with a letter");
        RuleFor(a => a.Values).Must(v => v.Values.All(PathRules.Valid)).WithMessage(PathRules.Message);
        RuleFor(a => a.RowsFrom).Must(PathRules.Valid).When(a => a.RowsFrom is not null).WithMessage(PathRules.Message);
        RuleFor(a => a.RowFields).Must(PathRules.NamesValid).WithMessage("a row field name is letters and digits, starting with a letter");
        RuleFor(a => a.RowFields).Must(v => v.Values.All(PathRules.ValidForItem)).WithMessage(PathRules.ItemMessage);
        RuleFor(a => a.RowFields).Empty().When(a => a.RowsFrom is null).WithMessage("rowFields need rowsFrom");
    }
}
