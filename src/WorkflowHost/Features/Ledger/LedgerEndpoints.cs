using FluentValidation;
using FluentValidation.Results;
using WorkflowHost.Api;
using WorkflowHost.Engine.Time;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Web;

namespace WorkflowHost.Features.Ledger;

/// <summary>The ledger (台账) as JSON and as a file, and a ballot's roll call as a file.</summary>
internal static class LedgerEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var ledger = api.MapGroup("/ledger").WithTags("Ledger");
        ledger.MapGet("", ListAsync)
            .WithName("GetLedger")
            .WithSummary("The ledger: every case the secretary, the office or the street committee may see, filtered, newest first")
            .WithDescription($"Filters: process, state (running, completed, withdrawn), unit, year or month (yyyy-MM) of the start, overdue (true/false), kind, member, step, q (nominee, title or reply number); page from 1, pageSize up to {LedgerQuery.MaxPageSize}.")
            .Produces<LedgerPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        ledger.MapGet("/export", ExportAsync)
            .WithName("ExportLedger")
            .WithSummary("The filtered ledger as an .xlsx workbook (format=xlsx, the default) or CSV (format=csv, UTF-8 with BOM)")
            .WithDescription($"Takes the ledger's filters (paging aside). Headers are in the caller's language. At most {LedgerReader.MaxExportRows} rows.")
            .Produces<byte[]>(StatusCodes.Status200OK, Spreadsheet.XlsxType, Spreadsheet.CsvType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/instances/{id:guid}/steps/{stepId}/roll-call", RollCallAsync)
            .WithTags("Ledger")
            .WithName("ExportRollCall")
            .WithSummary("A ballot's roll call and totals as .xlsx or CSV; on a secret ballot without choices, reasons or times")
            .Produces<byte[]>(StatusCodes.Status200OK, Spreadsheet.XlsxType, Spreadsheet.CsvType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(
        [AsParameters] LedgerQuery query, Caller caller, IValidator<LedgerQuery> validator, IWorkingCalendar calendar, TimeProvider time,
        LedgerReader reader, CancellationToken cancellationToken)
    {
        if (!LedgerReader.MayRead(caller))
        {
            return Problems.Forbidden("The ledger is kept by the secretary, the office and the street committee.");
        }

        var validation = await validator.ValidateAsync(query, cancellationToken);
        return validation.IsValid
            ? Results.Ok(await reader.PageAsync(caller, query.ToFilter(calendar, time.GetUtcNow()), cancellationToken))
            : Invalid(validation);
    }

    private static async Task<IResult> ExportAsync(
        [AsParameters] LedgerQuery query, string? format, Caller caller, IValidator<LedgerQuery> validator, IValidator<ExportFormat> formats,
        IWorkingCalendar calendar, TimeProvider time, LedgerReader reader, DefinitionCatalog catalog, CancellationToken cancellationToken)
    {
        if (!LedgerReader.MayRead(caller))
        {
            return Problems.Forbidden("The ledger is kept by the secretary, the office and the street committee.");
        }

        var export = new ExportFormat(format);
        var validation = Merge(await validator.ValidateAsync(query, cancellationToken), await formats.ValidateAsync(export, cancellationToken));
        if (!validation.IsValid)
        {
            return Invalid(validation);
        }

        var now = time.GetUtcNow();
        var rows = await reader.AllAsync(caller, (query with { Page = null, PageSize = null }).ToFilter(calendar, now), cancellationToken);
        if (rows is null)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["filters"] = [$"More than {LedgerReader.MaxExportRows} cases match; narrow the filters (a year, a unit) to export."] });
        }

        var texts = new Texts(caller.Language);
        var name = $"{texts.LedgerFileName}-{TimeZoneInfo.ConvertTime(now, calendar.TimeZone):yyyyMMdd-HHmm}";
        return await FileAsync([LedgerTables.Cases(rows, texts, calendar.TimeZone, catalog.Current)], export, name, cancellationToken);
    }

    private static async Task<IResult> RollCallAsync(
        Guid id, string stepId, string? format, Caller caller, IValidator<ExportFormat> formats, IWorkingCalendar calendar,
        InstanceReader instances, CancellationToken cancellationToken)
    {
        var export = new ExportFormat(format);
        var validation = await formats.ValidateAsync(export, cancellationToken);
        if (!validation.IsValid)
        {
            return Invalid(validation);
        }

        var instance = await instances.GetAsync(caller, id, cancellationToken);
        var step = instance?.CurrentSteps.Concat(instance.PastSteps).FirstOrDefault(s => s.StepId == stepId && s.Ballot is not null);
        if (step?.Ballot is not { } ballot)
        {
            return Problems.NotFound($"There is no ballot {stepId} on instance {id}.");
        }

        if (ballot.VoterList is null)
        {
            return Problems.Forbidden("A ballot's roll call is for the committee's side: the secretary, the office, members and the street committee.");
        }

        var texts = new Texts(caller.Language);
        return await FileAsync(LedgerTables.RollCall(ballot, texts, calendar.TimeZone), export, $"{texts.RollCallFileName}-{id:N}", cancellationToken);
    }

    private static async Task<IResult> FileAsync(IReadOnlyList<ExportTable> tables, ExportFormat format, string name, CancellationToken cancellationToken) =>
        format.IsCsv
            ? Results.File(Spreadsheet.Csv(tables), Spreadsheet.CsvType, name + ".csv")
            : Results.File(await Spreadsheet.XlsxAsync(tables, cancellationToken), Spreadsheet.XlsxType, name + ".xlsx");

    private static ValidationResult Merge(ValidationResult first, ValidationResult second) => new([.. first.Errors, .. second.Errors]);

    private static IResult Invalid(ValidationResult validation) =>
        Problems.Validation(validation.Errors.GroupBy(e => Body<object>.JsonName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
}
