using WorkflowHost.Api;
using WorkflowHost.Features.Attachments;

namespace WorkflowHost.Web;

/// <summary>
/// The files a page's form carries: attachment ids posted by the upload control (hidden inputs) or by the keep boxes of
/// files already there, and what the page knows about each id so it can show a name, a type and a size rather than an id.
/// </summary>
internal static class FormFiles
{
    /// <summary>The ids posted under <paramref name="name"/>; null when one is not an id (a forged form), which is refused.</summary>
    public static IReadOnlyList<Guid>? Read(IFormCollection form, string name)
    {
        var ids = new List<Guid>();
        foreach (var value in form[name].Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            if (!Guid.TryParse(value, out var id))
            {
                return null;
            }

            ids.Add(id);
        }

        return ids;
    }

    /// <summary>
    /// The files a page may name, by id: those on the case, and the caller's own uploads still on no case among
    /// <paramref name="posted"/> (what a refused form carried). Asks the database only when a posted id is not on the case.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, AttachmentView>> KnownAsync(
        AttachmentReader reader, Caller caller, IReadOnlyList<AttachmentView> onCase, IEnumerable<string> posted, CancellationToken cancellationToken)
    {
        var known = onCase.ToDictionary(a => a.Id.ToString("D"), StringComparer.OrdinalIgnoreCase);
        var pending = posted.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(v => !known.ContainsKey(v)).Select(v => Guid.TryParse(v, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
        foreach (var upload in await reader.PendingAsync(caller, pending, cancellationToken))
        {
            known[upload.Id.ToString("D")] = upload;
        }

        return known;
    }
}
