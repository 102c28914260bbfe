using FluentValidation;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Definitions;

internal abstract class ActivityValidator<T> : AbstractValidator<T>
    where T : ActivityDefinition
{
    protected ActivityValidator()
    {
        RuleFor(a => a.Id).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern)
            .WithMessage("an activity id is lower-case words joined by hyphens");
        RuleFor(a => a.Name!).SetValidator(new LocalizedTextValidator()).When(a => a.Name is not null);
    }
}

/// <summary>Split and join have nothing of their own to check beyond id and name.</summary>
internal sealed class FlowValidator<T> : ActivityValidator<T>
    where T : ActivityDefinition
{
}

internal sealed class HumanTaskValidator : ActivityValidator<HumanTaskActivity>
{
    public HumanTaskValidator()
    {
        RuleFor(a => a.Assignee).SetValidator(new SelectorValidator());
        Include(new TaskFormRules<HumanTaskActivity>(a => a.Fields, a => a.FieldsFor, a => a.DeclaredOutcomes()));
        RuleFor(a => a.Outcomes).NotEmpty().WithMessage("a task needs at least one outcome");
        RuleFor(a => a.Outcomes).Must(o => o.Select(x => x.Name).Distinct().Count() == o.Count).WithMessage("outcome names must be unique");
        RuleForEach(a => a.Outcomes).ChildRules(o =>
        {
            o.RuleFor(x => x.Name).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
            o.RuleFor(x => x.Label!).SetValidator(new LocalizedTextValidator()).When(x => x.Label is not null);
        });
        RuleFor(a => a.Due!).SetValidator(new DurationValidator()).When(a => a.Due is not null);
        RuleFor(a => a.Instructions!).SetValidator(new LocalizedTextValidator()).When(a => a.Instructions is not null);
        RuleFor(a => a.Remind).Must(l => l is null || l.Count == 0).When(a => a.Due is null).WithMessage("reminders count back from a deadline: set 'due'");
        RuleFor(a => a.Escalate).Must(l => l is null || l.Count == 0).When(a => a.Due is null).WithMessage("escalations count from a deadline: set 'due'");
        RuleForEach(a => a.Remind).SetValidator(new ReminderStepValidator());
        RuleForEach(a => a.Escalate).SetValidator(new EscalationStepValidator());
        RuleFor(a => a.Moves!).SetValidator(new TaskMoveRulesValidator()).When(a => a.Moves is not null);
    }
}

internal sealed class ReminderStepValidator : AbstractValidator<ReminderStep>
{
    public ReminderStepValidator()
    {
        RuleFor(r => r.Before).SetValidator(new DurationValidator());
        RuleFor(r => r.Template).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
    }
}

internal sealed class EscalationStepValidator : AbstractValidator<EscalationStep>
{
    public EscalationStepValidator()
    {
        RuleFor(e => e).Must(e => (e.At is null) != (e.After is null)).OverridePropertyName("")
            .WithMessage("an escalation is either \"at\": \"deadline\" or \"after\" a duration");
        RuleFor(e => e.At).Equal(EscalationStep.AtDeadline).When(e => e.At is not null)
            .WithMessage("\"at\" can only be \"deadline\"");
        RuleFor(e => e.After!).SetValidator(new DurationValidator()).When(e => e.After is not null);
        RuleFor(e => e.Notify).SetValidator(new SelectorValidator());
        RuleFor(e => e.Template).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
    }
}

internal sealed class BallotValidator : ActivityValidator<BallotActivity>
{
    public BallotValidator()
    {
        RuleFor(a => a.Voters).SetValidator(new SelectorValidator());
        RuleFor(a => a.SecretFrom).Must(p => DataPath.IsValid(p)).When(a => a.SecretFrom is not null)
            .WithMessage($"a field path starts with one of: {string.Join(", ", DataPath.Roots)}");
        RuleFor(a => a.Options).Must(o => o.Count >= 2).WithMessage("a ballot needs at least two options");
        RuleFor(a => a.Options).Must(o => o.Select(x => x.Value).Distinct().Count() == o.Count).WithMessage("option values must be unique");
        RuleForEach(a => a.Options).ChildRules(o =>
        {
            o.RuleFor(x => x.Value).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
            o.RuleFor(x => x.Label).SetValidator(new LocalizedTextValidator());
        });
        RuleFor(a => a.Rule.Quorum).SetValidator(new ThresholdValidator());
        RuleFor(a => a.Rule.Pass).SetValidator(new ThresholdValidator());
        RuleFor(a => a.Rule.Pass.Option).Must((ballot, option) => ballot.Options.Any(o => o.Value == option))
            .WithMessage("the pass option must be one of the ballot's options");
        RuleFor(a => a.ClosesAfter!).SetValidator(new DurationValidator()).When(a => a.ClosesAfter is not null);
        RuleFor(a => a.OfflineVotesBy).NotEmpty().Matches(DefinitionValidator.IdPattern);
        RuleFor(a => a.Due!).SetValidator(new DurationValidator()).When(a => a.Due is not null);
        RuleFor(a => a.Due).Null().When(a => a.ClosesAfter is not null)
            .WithMessage("set either 'due' (the ballot stays open and escalates when overdue) or 'closesAfter' (it closes at the deadline), not both");
        RuleFor(a => a.Remind).Must(l => l is null || l.Count == 0).When(a => a.Due is null && a.ClosesAfter is null)
            .WithMessage("reminders count back from a deadline: set 'due' or 'closesAfter'");
        RuleFor(a => a.Escalate).Must(l => l is null || l.Count == 0).When(a => a.Due is null)
            .WithMessage("only a ballot with 'due' escalates: one with 'closesAfter' is closed at its deadline, and nothing is overdue");
        RuleForEach(a => a.Remind).SetValidator(new ReminderStepValidator());
        RuleForEach(a => a.Escalate).SetValidator(new EscalationStepValidator());
    }

    private sealed class ThresholdValidator : AbstractValidator<Threshold>
    {
        public ThresholdValidator()
        {
            RuleFor(t => t).Must(t => t.MoreThan is null || t.AtLeast is null).OverridePropertyName("")
                .WithMessage("set either moreThan or atLeast, not both");
            RuleFor(t => t.MoreThan!.Value).Must(f => f.IsValid).When(t => t.MoreThan is not null)
                .OverridePropertyName("MoreThan").WithMessage("a share is a fraction between 0 and 1, such as \"1/2\"");
            RuleFor(t => t.AtLeast!.Value).Must(f => f.IsValid).When(t => t.AtLeast is not null)
                .OverridePropertyName("AtLeast").WithMessage("a share is a fraction between 0 and 1, such as \"2/3\"");
        }
    }
}

internal sealed class DecisionValidator : ActivityValidator<DecisionActivity>
{
    public DecisionValidator()
    {
        RuleFor(a => a.Rules).NotEmpty().WithMessage("a decision needs at least one rule");
        RuleForEach(a => a.Rules).ChildRules(r =>
        {
            r.RuleFor(x => x.Outcome).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
            r.RuleFor(x => x.When).SetValidator(new ConditionValidator(depth: 0));
        });
        RuleFor(a => a.Otherwise).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
    }
}

internal sealed class ConditionValidator : AbstractValidator<Condition>
{
    private const int MaxDepth = 5;

    public ConditionValidator(int depth)
    {
        RuleFor(c => c).Must(c => (c.All is not null ? 1 : 0) + (c.Any is not null ? 1 : 0) + (c.Field is not null ? 1 : 0) == 1)
            .OverridePropertyName("").WithMessage("a condition is either a field test, 'all' or 'any'");
        RuleFor(c => c.OperatorsSet).Equal(0).When(c => c.Field is null).OverridePropertyName("")
            .WithMessage("operators belong to a field test, not next to 'all' or 'any'");
        RuleFor(c => c.In).Must(values => values!.Count > 0).When(c => c.In is not null).WithMessage("'in' needs at least one value");
        When(c => c.Field is not null, () =>
        {
            RuleFor(c => c.Field).Must(f => Condition.FieldRoots.Contains(f!.Split('.')[0]))
                .WithMessage($"a field path starts with one of: {string.Join(", ", Condition.FieldRoots)}");
            RuleFor(c => c.OperatorsSet).Equal(1).OverridePropertyName("Field")
                .WithMessage("a field test uses exactly one of equalTo, notEqualTo, in, greaterThan, atLeast, lessThan, atMost, exists");
        });
        if (depth >= MaxDepth)
        {
            RuleFor(c => c).Must(c => c.All is null && c.Any is null).OverridePropertyName("")
                .WithMessage($"conditions nest at most {MaxDepth} levels deep");
            return;
        }

        RuleFor(c => c.All).Must(list => list!.Count > 0).When(c => c.All is not null).WithMessage("'all' needs at least one condition");
        RuleFor(c => c.Any).Must(list => list!.Count > 0).When(c => c.Any is not null).WithMessage("'any' needs at least one condition");
        RuleForEach(c => c.All).SetValidator(_ => new ConditionValidator(depth + 1)).When(c => c.All is not null);
        RuleForEach(c => c.Any).SetValidator(_ => new ConditionValidator(depth + 1)).When(c => c.Any is not null);
    }
}

internal sealed class TimerValidator : ActivityValidator<TimerActivity>
{
    public TimerValidator()
    {
        RuleFor(a => a).Must(a => new object?[] { a.Duration, a.Until, a.After }.Count(x => x is not null) == 1).OverridePropertyName("")
            .WithMessage("a timer sets exactly one of 'duration', 'until' (a date path: when that day begins) and 'after' (a date path: once that day has passed)");
        RuleFor(a => a.Duration!).SetValidator(new DurationValidator()).When(a => a.Duration is not null);
        RuleFor(a => a.Until).Must(p => DataPath.IsValid(p)).When(a => a.Until is not null)
            .WithMessage($"a field path starts with one of: {string.Join(", ", DataPath.Roots)}");
        RuleFor(a => a.After).Must(p => DataPath.IsValid(p)).When(a => a.After is not null)
            .WithMessage($"a field path starts with one of: {string.Join(", ", DataPath.Roots)}");
    }
}

internal sealed class NotifyValidator : ActivityValidator<NotifyActivity>
{
    public NotifyValidator()
    {
        RuleFor(a => a.Recipients).SetValidator(new SelectorValidator());
        RuleFor(a => a.Template).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
        RuleFor(a => a.Message!).SetValidator(new LocalizedTextValidator()).When(a => a.Message is not null);
    }
}

internal sealed class IssueNumberValidator : ActivityValidator<IssueNumberActivity>
{
    public IssueNumberValidator()
    {
        RuleFor(a => a.Series).NotEmpty().MaximumLength(32).Matches(DefinitionValidator.IdPattern);
        RuleFor(a => a.Format).NotEmpty().MaximumLength(64)
            .Must(f => System.Text.RegularExpressions.Regex.IsMatch(f, @"\{seq(:0+)?\}"))
            .WithMessage("the format must contain {seq} or a padded {seq:0000}");
    }
}

internal sealed class EndValidator : ActivityValidator<EndActivity>
{
    public EndValidator()
    {
        RuleFor(a => a.Result).NotEmpty().MaximumLength(64).Matches(DefinitionValidator.IdPattern);
        RuleFor(a => a.Label!).SetValidator(new LocalizedTextValidator()).When(a => a.Label is not null);
    }
}
