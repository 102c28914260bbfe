using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WorkflowHost.Persistence.Queries;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests.Queries;

/// <summary>
/// SQLite's <c>string[]</c> parameters get their JSON text from <see cref="StringListJsonConverter"/> (decision 183): the
/// very text EF Core's converter writes for that content, remembered per content, so a list seen before costs no new
/// stream, writer or string. The visibility reads' answers for random viewers are in <c>InstanceVisibilityScenarios</c>.
/// </summary>
public sealed class StringListJsonTests : IAsyncDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public void A_list_parameter_on_sqlite_is_sent_through_the_remembering_converter()
    {
        var mapping = Mapping();

        Assert.IsType<StringListJsonConverter>(mapping.Converter);
        Assert.NotNull(mapping.ElementTypeMapping);
        string[] list = ["a", "b"];
        Assert.Equal("[\"a\",\"b\"]", mapping.Converter.ConvertToProvider(list));
    }

    [Fact]
    public void Every_list_gets_the_text_ef_cores_own_converter_writes_for_its_content_now()
    {
        var converter = Assert.IsType<StringListJsonConverter>(Mapping().Converter);
        var efCores = EfCoresOwnConverter();
        string[] pool = ["", " ", "office", "Office", "office ", "\"", "\\", "a\"b\\c", "[\"x\"]", ",", "\u0001", "\t\n", "委员会", "😀", "</script>", "null"];
        var random = new Random(183);
        var shared = new string[2];

        for (var n = 0; n < 15_000; n++)
        {
            // Lists that repeat (a small pool, short lists), lists seen for the first time, and one array refilled in place.
            string[] list;
            if (n % 3 == 0)
            {
                shared[0] = pool[random.Next(pool.Length)];
                shared[1] = pool[random.Next(pool.Length)];
                list = shared;
            }
            else
            {
                list = [.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => pool[random.Next(pool.Length)])];
                if (n % 3 == 2)
                {
                    // More distinct lists than the converter remembers, so it also starts over at least once.
                    list = [.. list, $"unique-{n}"];
                }
            }

            var expected = (string)efCores.ConvertToProvider(list)!;
            Assert.Equal(expected, (string)converter.ConvertToProvider(list)!);
            Assert.Equal(expected, (string)converter.ConvertToProvider(list.ToArray())!);
        }

        Assert.True(15_000 / 3 > StringListJsonConverter.Remembered, "too few distinct lists to make the converter start over");
    }

    [Fact]
    public void A_list_whose_content_was_converted_before_allocates_nothing()
    {
        var converter = Assert.IsType<StringListJsonConverter>(Mapping().Converter).ConvertToProvider;
        string[] first = ["committee-member", "office", "unit-liaison"];
        _ = converter(first);
        string[] other = ["x"];
        _ = converter(other);

        // Another array of the same content, as each request's viewer carries its own copy of the caller's lists.
        string[] again = [.. first];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var text = converter(again);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("[\"committee-member\",\"office\",\"unit-liaison\"]", text);
        Assert.Equal(0, allocated);
    }

    private RelationalTypeMapping Mapping()
    {
        using var db = _database.NewContext();
        return db.GetService<IRelationalTypeMappingSource>().FindMapping(typeof(string[]))
            ?? throw new InvalidOperationException("SQLite has no mapping for string[].");
    }

    /// <summary>EF Core's own converter, from a SQLite context configured without this host's services.</summary>
    private static CollectionToJsonStringConverter<string> EfCoresOwnConverter()
    {
        using var plain = new DbContext(new DbContextOptionsBuilder<DbContext>().UseSqlite("Data Source=:memory:").Options);
        var converter = plain.GetService<IRelationalTypeMappingSource>().FindMapping(typeof(string[]))!.Converter;
        return Assert.IsType<CollectionToJsonStringConverter<string>>(converter);
    }
}
