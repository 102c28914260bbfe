namespace WorkflowHost.Persistence.Participants;

/// <summary>
/// Several directory changes as one: the same commands as one by one (the same checks, the same journal lines), in one
/// transaction with one version bump. The first refusal rolls back the whole batch. An import uses it twice: once
/// rolled back for its preview, once committed.
/// </summary>
public sealed partial class DirectoryAdministration
{
    /// <summary>
    /// Runs <paramref name="work"/> as one change of <paramref name="communityId"/>. With <paramref name="commit"/> false
    /// every command runs against the database and is then rolled back, so a preview meets the refusals a commit would.
    /// </summary>
    public Task<DirectoryResult> BatchAsync(
        string actorId, string communityId, bool commit, Func<DirectoryBatch, Task<DirectoryResult>> work, CancellationToken cancellationToken = default) =>
        ChangeAsync(communityId, scope => work(new DirectoryBatch(scope, actorId, cancellationToken)), cancellationToken, commit);

    /// <summary>The commands a batch offers. Each is saved (not committed) before the next, so a later one sees it.</summary>
    public sealed class DirectoryBatch
    {
        private readonly ChangeScope _scope;
        private readonly string _actorId;
        private readonly CancellationToken _cancellationToken;

        internal DirectoryBatch(ChangeScope scope, string actorId, CancellationToken cancellationToken)
        {
            _scope = scope;
            _actorId = actorId;
            _cancellationToken = cancellationToken;
        }

        public DateOnly Today => _scope.Today;

        /// <summary>Journal lines written so far: zero means the batch changes nothing and will write nothing.</summary>
        public int Journaled => _scope.Journaled;

        public Task<DirectoryResult> AddUnitAsync(string unitId, UnitInput input) =>
            SavedAsync(AddUnitIn(_scope, _actorId, unitId, input, _cancellationToken));

        public Task<DirectoryResult> EditUnitAsync(string unitId, int expectedVersion, UnitInput input) =>
            SavedAsync(EditUnitIn(_scope, _actorId, unitId, expectedVersion, input, _cancellationToken));

        public Task<DirectoryResult> AddPersonAsync(string personId, PersonInput input) =>
            SavedAsync(AddPersonIn(_scope, _actorId, personId, input, _cancellationToken));

        public Task<DirectoryResult> EditPersonAsync(string personId, int expectedVersion, PersonInput input) =>
            SavedAsync(EditPersonIn(_scope, _actorId, personId, expectedVersion, input, _cancellationToken));

        public Task<DirectoryResult> GrantRoleAsync(string personId, string role, DateOnly from) =>
            SavedAsync(GrantRoleIn(_scope, _actorId, personId, role, from, _cancellationToken));

        public Task<DirectoryResult> StartTermAsync(TermInput input) =>
            SavedAsync(StartTermIn(_scope, _actorId, input, _cancellationToken));

        private async Task<DirectoryResult> SavedAsync(Task<DirectoryResult> command)
        {
            var result = await command;
            if (result.Succeeded)
            {
                await _scope.Db.SaveChangesAsync(_cancellationToken);
            }

            return result;
        }
    }
}
