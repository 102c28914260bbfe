using WorkflowHost.Persistence.Participants;
using Batch = WorkflowHost.Persistence.Participants.DirectoryAdministration.DirectoryBatch;

namespace WorkflowHost.Features.Communities.Import;

/// <summary>
/// Compares the file with the directory, row by row, after the checks that need both (ids used twice, units and people
/// named but nowhere, ids of another community, dates to come, a term that cannot replace the current one). The result
/// is each record's outcome and the directory commands that carry the additions and changes out, in an order where
/// each finds what it needs: units, people, the committee term, then roles.
/// </summary>
internal sealed class ImportPlan
{
    private readonly List<(Func<Batch, Task<DirectoryResult>> Step, RowSource Source)> _steps = [];
    private readonly List<(Func<Batch, Task<DirectoryResult>> Step, RowSource Source)> _grants = [];
    private readonly List<ImportRowReport> _rows = [];

    public IEnumerable<(Func<Batch, Task<DirectoryResult>> Step, RowSource Source)> Steps => _steps.Concat(_grants);

    public IReadOnlyList<ImportRowReport> Rows => _rows;

    public static ImportPlan Make(ImportContent content, KnownRecords known, DateOnly today, List<ImportError> errors)
    {
        var plan = new ImportPlan();
        var fileUnits = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in content.Units)
        {
            if (!fileUnits.Add(row.Id))
            {
                errors.Add(row.Source.Error("unitId", $"The unit '{row.Id}' is on an earlier row already."));
            }
            else if (known.ForeignUnits.Contains(row.Id))
            {
                errors.Add(row.Source.Error("unitId", $"The unit id '{row.Id}' belongs to another community."));
            }
            else if (NotPast(row.Request.JoinedOn, today) is { } reason)
            {
                errors.Add(row.Source.Error("joinedOn", reason));
            }
            else
            {
                plan.Unit(row, known.Unit(row.Id));
            }
        }

        bool UnitKnown(string id) => fileUnits.Contains(id) || known.Unit(id) is { LeftOn: null };

        var filePeople = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in content.People)
        {
            var existing = known.Person(row.Id);
            if (!filePeople.Add(row.Id))
            {
                errors.Add(row.Source.Error("personId", $"The person '{row.Id}' is on an earlier row already."));
            }
            else if (known.ForeignPeople.Contains(row.Id))
            {
                errors.Add(row.Source.Error("personId", $"The person id '{row.Id}' belongs to another community."));
            }
            else if (existing?.DeactivatedAt is not null)
            {
                errors.Add(row.Source.Error("personId", $"'{row.Id}' was deactivated; their record is kept as it was."));
            }
            else if (row.Request.UnitId is { Length: > 0 } unit && !UnitKnown(unit))
            {
                errors.Add(row.Source.Error("unitId", $"There is no current unit '{unit}' in the file or in this community."));
            }
            else if (row.RolesFrom is { } from && NotPast(from, today) is { } reason)
            {
                errors.Add(row.Source.Error("rolesFrom", reason));
            }
            else
            {
                plan.Person(row, existing, known.Phones.GetValueOrDefault(row.Id), today);
            }
        }

        plan.Term(content.Committee, known, today, id => filePeople.Contains(id) || known.Person(id) is { DeactivatedAt: null }, UnitKnown, errors);
        return plan;
    }

    private static string? NotPast(DateOnly? date, DateOnly today) =>
        date > today ? $"{date:yyyy-MM-dd} is in the future; the directory records what has happened (today is {today:yyyy-MM-dd})." : null;

    private void Unit(UnitRow row, UnitView? existing)
    {
        var input = row.Request.ToInput();
        if (existing is null)
        {
            Report(row.Source, ImportShapes.Units, row.Id, ImportOutcomes.Added, []);
            _steps.Add((batch => batch.AddUnitAsync(row.Id, input), row.Source));
            return;
        }

        var changes = new List<string>();
        Compare(changes, "nameZh", existing.NameZh, input.NameZh.Trim());
        Compare(changes, "nameEn", existing.NameEn, input.NameEn.Trim());
        Compare(changes, "kind", existing.Kind, input.Kind);
        Compare(changes, "joinedOn", existing.JoinedOn, input.JoinedOn);
        Compare(changes, "agreementSignedOn", existing.AgreementSignedOn, input.AgreementSignedOn);
        Compare(changes, "agreementText", existing.AgreementText, Blank(input.AgreementText));
        Report(row.Source, ImportShapes.Units, row.Id, changes.Count == 0 ? ImportOutcomes.Unchanged : ImportOutcomes.Changed, changes);
        if (changes.Count > 0)
        {
            // The import template has no in-service total: an edit keeps the one entered on the page or through the API.
            _steps.Add((batch => batch.EditUnitAsync(row.Id, existing.Version, input with { InServiceMembers = existing.InServiceMembers }), row.Source));
        }
    }

    private void Person(PersonRow row, PersonView? existing, string? phone, DateOnly today)
    {
        var input = row.Request.ToInput();
        var grants = row.Roles.Where(r => existing is null || !existing.Roles.Contains(r)).ToList();
        var changes = new List<string>();
        if (existing is null)
        {
            _steps.Add((batch => batch.AddPersonAsync(row.Id, input), row.Source));
        }
        else
        {
            Compare(changes, "nameZh", existing.NameZh, input.NameZh.Trim());
            Compare(changes, "nameEn", existing.NameEn, input.NameEn.Trim());
            Compare(changes, "unitId", existing.UnitId, input.UnitId);
            Compare(changes, "titleZh", existing.TitleZh, Blank(input.TitleZh));
            Compare(changes, "titleEn", existing.TitleEn, Blank(input.TitleEn));
            Compare(changes, "email", existing.Email, Blank(input.Email));
            Compare(changes, "phone", phone, Blank(input.Phone));
            Compare(changes, "language", existing.Language, input.Language);
            if (changes.Count > 0)
            {
                _steps.Add((batch => batch.EditPersonAsync(row.Id, existing.Version, input), row.Source));
            }

            if (grants.Count > 0)
            {
                changes.Add("roles");
            }
        }

        var from = row.RolesFrom ?? today;
        foreach (var role in grants)
        {
            _grants.Add((batch => batch.GrantRoleAsync(row.Id, role, from), row.Source));
        }

        Report(row.Source, ImportShapes.People, row.Id,
            existing is null ? ImportOutcomes.Added : changes.Count == 0 ? ImportOutcomes.Unchanged : ImportOutcomes.Changed, changes);
    }

    /// <summary>
    /// The committee sheet is one term. The current term as the file has it is unchanged; a higher number is a new term
    /// (换届) that replaces it. A current term with other members or another start is refused: a term's membership
    /// is changed by a new term or on the directory page, not by rewriting the one that is running.
    /// </summary>
    private void Term(IReadOnlyList<MemberRow> members, KnownRecords known, DateOnly today, Func<string, bool> personKnown, Func<string, bool> unitKnown, List<ImportError> errors)
    {
        if (members.Count == 0)
        {
            return;
        }

        var first = members[0];
        var before = errors.Count;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (member.Term != first.Term || member.StartsOn != first.StartsOn)
            {
                errors.Add(member.Source.Error(member.Term != first.Term ? "term" : "startsOn", "The committee sheet holds one term: every row has the same term and start date."));
            }
            else if (!seen.Add(member.PersonId))
            {
                errors.Add(member.Source.Error("personId", $"'{member.PersonId}' is on an earlier row already."));
            }
            else if (!personKnown(member.PersonId))
            {
                errors.Add(member.Source.Error("personId", $"There is no active person '{member.PersonId}' in the file or in this community."));
            }
            else if (member.UnitId is { } unit && !unitKnown(unit))
            {
                errors.Add(member.Source.Error("unitId", $"There is no current unit '{unit}' in the file or in this community."));
            }
        }

        if (NotPast(first.StartsOn, today) is { } future)
        {
            errors.Add(first.Source.Error("startsOn", future));
        }

        var current = known.CurrentTerm;
        var id = first.Term.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (current is not null && current.Number == first.Term)
        {
            var now = current.Members.Where(m => m.LeftOn is null).Select(m => (m.PersonId, m.Kind, m.UnitId)).ToHashSet();
            var file = members.Select(m => (m.PersonId, m.Kind, m.UnitId)).ToHashSet();
            if (current.StartsOn != first.StartsOn || !now.SetEquals(file))
            {
                errors.Add(first.Source.Error("term",
                    $"Term {current.Number} began on {current.StartsOn:yyyy-MM-dd} with other members; a changed committee is a new term with a higher number."));
            }

            Report(first.Source, ImportShapes.Committee, id, ImportOutcomes.Unchanged, []);
            return;
        }

        if (known.Directory.Terms.Any(t => t.Number >= first.Term))
        {
            errors.Add(first.Source.Error("term", $"Term {known.Directory.Terms.Max(t => t.Number)} exists already; a new term needs a higher number."));
        }

        if (errors.Count > before)
        {
            return;
        }

        var input = new TermInput(first.Term, first.StartsOn, [.. members.Select(m => new TermMemberInput(m.PersonId, m.Kind, m.UnitId))]);
        _steps.Add((batch => batch.StartTermAsync(input), first.Source));
        Report(first.Source, ImportShapes.Committee, id, ImportOutcomes.Added, []);
    }

    private void Report(RowSource source, ImportShape shape, string id, string outcome, IReadOnlyList<string> changes) =>
        _rows.Add(new ImportRowReport(source.Sheet, source.Row, shape.Key, id, outcome, changes));

    private static void Compare<T>(List<string> changes, string key, T before, T after)
    {
        if (!EqualityComparer<T>.Default.Equals(before, after))
        {
            changes.Add(key);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
