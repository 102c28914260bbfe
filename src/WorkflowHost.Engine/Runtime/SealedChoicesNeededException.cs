namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The step closes secret ballot <see cref="BookmarkId"/>, which has choices sealed in earlier steps, and the run context
/// does not hold them (decision 169). The store loads choices only for a step that counts them: it drops this run whole
/// (its state, effects and journal) and runs the step again, from the stored state, with the ballot's choices unsealed.
/// An <see cref="InvalidOperationException"/>, as the count's own check is: a caller that does not expect it fails as
/// loudly as it did when it handed in no choices, and never gets a state or effects of a ballot counted short.
/// </summary>
public sealed class SealedChoicesNeededException(string bookmarkId)
    : InvalidOperationException($"Secret ballot {bookmarkId} closes in this step; run the step again with its sealed choices unsealed (decision 169).")
{
    public string BookmarkId { get; } = bookmarkId;
}
