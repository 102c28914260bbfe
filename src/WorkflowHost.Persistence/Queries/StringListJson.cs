using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

// SqliteTypeMappingSource is EF Core's "internal" API (EF1001), as HoistingQueryCompilation's base classes are: pinned by
// Directory.Packages.props, and StringListJsonTests fail if an upgrade stops routing string[] parameters through it.
#pragma warning disable EF1001
// ConstructorExpression is marked experimental (EF9100) for precompiled queries and compiled models, which this host uses
// neither of; a converter must still answer it.
#pragma warning disable EF9100

namespace WorkflowHost.Persistence.Queries;

/// <summary>
/// SQLite's type mappings with one change (decision 183): a <c>string[]</c> sent as one JSON parameter (decision 142:
/// <c>json_each(@roles)</c>) gets its JSON text from <see cref="StringListJsonConverter"/>, which remembers the text per list
/// content, instead of EF Core's converter writing it through a new stream and JSON writer on every execution. Every other
/// mapping, and the collection mapping's comparers, element mapping and JSON reader-writer, are EF Core's own.
/// </summary>
internal sealed class StringListJsonSqliteTypeMappingSource(
    TypeMappingSourceDependencies dependencies, RelationalTypeMappingSourceDependencies relationalDependencies)
    : SqliteTypeMappingSource(dependencies, relationalDependencies)
{
    protected override RelationalTypeMapping? FindCollectionMapping(
        RelationalTypeMappingInfo info, Type modelType, Type? providerType, CoreTypeMapping? elementMapping)
    {
        var mapping = base.FindCollectionMapping(info, modelType, providerType, elementMapping);
        return mapping?.Converter is CollectionToJsonStringConverter<string> json
            ? mapping.Clone(converter: new StringListJsonConverter(json))
            : mapping;
    }
}

/// <summary>
/// EF Core's JSON converter for a list of strings, with the text it wrote remembered per list content: a list equal, item
/// by item (ordinal, nulls included), to one converted before gets that list's text without being written again. The
/// text is always one EF Core's converter wrote for a list of that content, so the parameter's value is what it would
/// have been. A step's read sends the caller's roles, overseen communities and collection windows this way on every
/// vote; they change only with the directory, so nearly every conversion finds its text.
/// </summary>
internal sealed class StringListJsonConverter : ValueConverter<IEnumerable<string>, string>
{
    /// <summary>How many distinct lists are remembered; past it the memory starts again (lists of people's roles, a few hundred in a large host).</summary>
    internal const int Remembered = 4096;

    private readonly CollectionToJsonStringConverter<string> _written;

    private readonly ConcurrentDictionary<string?[], string> _textByContent = new(ListContent.Instance);

    public StringListJsonConverter(CollectionToJsonStringConverter<string> written)
        : this(written, new Holder())
    {
    }

    // The expressions must reach the instance being constructed; the holder is filled as soon as it exists.
    private StringListJsonConverter(CollectionToJsonStringConverter<string> written, Holder holder)
        : base(
            (Expression<Func<IEnumerable<string>, string>>)(list => holder.Converter!.TextOf(list)),
            written.ConvertFromProviderExpression,
            written.MappingHints)
    {
        _written = written;
        holder.Converter = this;
    }

    public override Expression ConstructorExpression =>
        Expression.New(typeof(StringListJsonConverter).GetConstructor([typeof(CollectionToJsonStringConverter<string>)])!, _written.ConstructorExpression);

    /// <summary>The list's JSON text as EF Core's converter writes it, remembered for a list of the same content.</summary>
    internal string TextOf(IEnumerable<string> list)
    {
        if (list is not string[] array)
        {
            return Written(list);
        }

        if (_textByContent.TryGetValue(array, out var known))
        {
            return known;
        }

        var text = Written(array);
        if (_textByContent.Count >= Remembered)
        {
            _textByContent.Clear();
        }

        // A copy as the key: the caller's array may be changed after this call, the text must stay that of this content.
        _textByContent.TryAdd((string?[])array.Clone(), text);
        return text;
    }

    private string Written(IEnumerable<string> list) => (string)_written.ConvertToProvider(list)!;

    private sealed class Holder
    {
        public StringListJsonConverter? Converter;
    }

    /// <summary>Lists equal item by item, ordinal, in order; a null item equals only a null item.</summary>
    private sealed class ListContent : IEqualityComparer<string?[]>
    {
        public static readonly ListContent Instance = new();

        public bool Equals(string?[]? x, string?[]? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null || x.Length != y.Length)
            {
                return false;
            }

            for (var i = 0; i < x.Length; i++)
            {
                if (!string.Equals(x[i], y[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(string?[] list)
        {
            var hash = new HashCode();
            hash.Add(list.Length);
            foreach (var item in list)
            {
                hash.Add(item is null ? -1 : string.GetHashCode(item, StringComparison.Ordinal));
            }

            return hash.ToHashCode();
        }
    }
}
