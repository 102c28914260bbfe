using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Features.Communities.Import;

/// <summary>
/// Imports a community's units, people, roles and committee term from a file: reads it, checks every row (all errors
/// at once), compares each record with the directory, then runs the additions and changes as one directory batch,
/// the same commands with the same journal lines as the directory's pages, in one transaction. A preview runs the
/// batch and rolls it back. Records already as the file has them are left alone, so the same file twice changes nothing.
/// An import adds and changes; it never ends a unit, a role or a person (that stays a deliberate act on the directory page).
/// The caller has passed <see cref="Api.Tenancy"/> for the community already.
/// </summary>
public sealed class CommunityImport(DirectoryReader reader, DirectoryAdministration directory, IDbContextFactory<WorkflowDbContext> contexts)
{
    public async Task<ImportOutcome> RunAsync(string actorId, string communityId, byte[] file, bool commit, CancellationToken cancellationToken)
    {
        var sheets = ImportFile.Read(file, out var problem);
        if (problem is not null)
        {
            return new ImportOutcome(problem, [], null);
        }

        var errors = new List<ImportError>();
        var content = ImportReader.Read(sheets, errors);
        if (errors.Count == 0 && content.Units.Count + content.People.Count + content.Committee.Count == 0)
        {
            return new ImportOutcome("The file has no rows to import: fill in the template below its headers.", [], null);
        }

        var current = await reader.ReadAsync(communityId, cancellationToken)
            ?? throw new InvalidOperationException($"Tenancy let through an unknown community '{communityId}'.");
        var known = await KnownAsync(communityId, content, current, cancellationToken);
        var plan = ImportPlan.Make(content, known, directory.Today, errors);
        if (errors.Count > 0)
        {
            return new ImportOutcome(null, Ordered(errors), null);
        }

        ImportError? refused = null;
        var journaled = 0;
        var result = await directory.BatchAsync(actorId, communityId, commit, async batch =>
        {
            foreach (var (step, source) in plan.Steps)
            {
                var done = await step(batch);
                if (!done.Succeeded)
                {
                    refused = source.Error(done.Field ?? "", done.Message ?? "Refused.");
                    return done;
                }
            }

            journaled = batch.Journaled;
            return DirectoryResult.Ok;
        }, cancellationToken);

        if (!result.Succeeded)
        {
            return new ImportOutcome(refused is null ? result.Message : null, refused is null ? [] : [refused], null);
        }

        var rows = plan.Rows;
        return new ImportOutcome(null, [], new ImportReport(commit, rows.Count(r => r.Outcome == ImportOutcomes.Added),
            rows.Count(r => r.Outcome == ImportOutcomes.Changed), rows.Count(r => r.Outcome == ImportOutcomes.Unchanged), commit ? journaled : 0, rows));
    }

    private static List<ImportError> Ordered(List<ImportError> errors) =>
        [.. errors.Distinct().OrderBy(e => e.Sheet, StringComparer.Ordinal).ThenBy(e => e.Row)];

    /// <summary>What the plan compares the file with: the community's directory, phones, and ids other communities hold.</summary>
    private async Task<KnownRecords> KnownAsync(string communityId, ImportContent content, DirectoryView current, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var unitIds = content.Units.Select(u => u.Id).ToList();
        var personIds = content.People.Select(p => p.Id).Concat(content.Committee.Select(m => m.PersonId)).Distinct().ToList();
        var foreignUnits = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id) && u.CommunityId != communityId).Select(u => u.Id).ToListAsync(cancellationToken);
        var foreignPeople = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id) && p.CommunityId != communityId).Select(p => p.Id).ToListAsync(cancellationToken);
        var phones = await db.People.AsNoTracking().Where(p => p.CommunityId == communityId && p.Phone != null)
            .ToDictionaryAsync(p => p.Id, p => p.Phone!, StringComparer.Ordinal, cancellationToken);
        return new KnownRecords(current, phones, [.. foreignUnits], [.. foreignPeople]);
    }
}

/// <summary>The directory as it is, for comparing: the view, people's phones (not in the view), and other communities' ids.</summary>
internal sealed record KnownRecords(DirectoryView Directory, IReadOnlyDictionary<string, string> Phones, HashSet<string> ForeignUnits, HashSet<string> ForeignPeople)
{
    public UnitView? Unit(string id) => Directory.Units.FirstOrDefault(u => u.Id == id);

    public PersonView? Person(string id) => Directory.People.FirstOrDefault(p => p.Id == id);

    public TermView? CurrentTerm => Directory.Terms.FirstOrDefault(t => t.EndsOn is null);
}
