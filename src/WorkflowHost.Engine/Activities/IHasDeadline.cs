namespace WorkflowHost.Engine.Activities;

/// <summary>
/// What a step with a deadline declares about it. Absent lists take the defaults (one reminder one working day before;
/// the secretary at the deadline; the street committee two working days after); an empty list means none.
/// </summary>
internal interface IHasDeadline
{
    IReadOnlyList<ReminderStep>? Remind { get; }

    IReadOnlyList<EscalationStep>? Escalate { get; }

    /// <summary>False for a ballot that closes at its deadline: nothing is overdue after it, so nothing escalates.</summary>
    bool EscalatesWhenOverdue { get; }
}
