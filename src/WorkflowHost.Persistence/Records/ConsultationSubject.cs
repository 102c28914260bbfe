using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace WorkflowHost.Persistence.Records;

/// <summary>
/// The subject of a consultation as the <c>prior-consultations</c> lookup compares it: its <c>nominee</c> and <c>kind</c>
/// parameters, each trimmed (blank counts as absent), digested to a short key stored on the instance (decision 145).
/// Equal keys mean the comparison the lookup made before the key existed would have matched, so its answers do not change.
/// </summary>
public static class ConsultationSubject
{
    /// <summary>Hex of the first 16 bytes of a SHA-256: short enough for an index, far too wide to collide by chance.</summary>
    public const int KeyLength = 32;

    /// <summary>The key of the subject named by a lookup's resolved parameters.</summary>
    public static string KeyOf(JsonObject parameters) =>
        KeyOf(CommunityRecordProvider.Text(parameters["nominee"]), CommunityRecordProvider.Text(parameters["kind"]));

    public static string KeyOf(string? nominee, string? kind)
    {
        // Each part prefixed with its length (absent: "~"), so no name can run into the kind ("a|b" + "c" against
        // "a" + "b|c"), and spelled out here rather than by a serializer whose escaping could change with a runtime.
        var text = string.Concat(new[] { nominee, kind }.Select(part => part is null ? "~;" : string.Create(CultureInfo.InvariantCulture, $"{part.Length}:{part};")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, KeyLength / 2));
    }

    /// <summary>
    /// Puts the key on the step's own instance, so later consultations find it. A new instance is inserted with it; a
    /// running one (checked again after an amendment) gets one update, and only when the subject changed.
    /// </summary>
    public static async Task RecordAsync(StoreStepContext context, string key, CancellationToken cancellationToken)
    {
        var row = context.Instance;
        if (row.SubjectKey == key)
        {
            return;
        }

        var added = context.Db.Entry(row).State == EntityState.Added;
        row.SubjectKey = key;
        if (!added)
        {
            // The step read its row untracked and saves its state with its own statement: the key goes apart, in the
            // step's transaction, so a step that loses its race takes the key back with everything else.
            await context.Db.Instances.Where(i => i.Id == row.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.SubjectKey, key), cancellationToken);
        }
    }

    /// <summary>The same key for a stored instance, from its current input, by the lookup's own parameter paths.</summary>
    internal static string KeyOfState(Engine.Runtime.InstanceState state, IReadOnlyDictionary<string, string> parameterPaths) =>
        KeyOf(Engine.Runtime.DataMap.Resolve(Engine.Runtime.DataMap.ViewOf(state), parameterPaths));
}
