namespace WorkflowHost.Engine.Activities;

/// <summary>
/// The templates of the notices that hand a task to one person (转交, 委派, 代理), for the store: such a notice is only
/// worth sending while the task is still that person's, so the outbox checks it again before sending.
/// </summary>
public static class TaskMoveTemplates
{
    /// <summary>The task was transferred to the recipient, who now holds it.</summary>
    public const string Transferred = TaskHolding.TransferredTemplate;

    /// <summary>The recipient was asked to prepare the task for its holder.</summary>
    public const string Delegated = TaskHolding.DelegatedTemplate;

    /// <summary>The task was assigned to the recipient as the deputy of someone on leave.</summary>
    public const string RoutedToDeputy = Absences.RoutedTemplate;
}
