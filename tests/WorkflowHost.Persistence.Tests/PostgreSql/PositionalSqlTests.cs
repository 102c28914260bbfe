using WorkflowHost.Persistence.PostgreSql;

namespace WorkflowHost.Persistence.Tests.PostgreSql;

/// <summary>
/// EF Core's PostgreSQL text rewritten into positional statements once (decision 188): placeholders numbered per statement,
/// quoted text and comments left as written, and anything it cannot read with certainty refused (the command then stays
/// named, as EF Core wrote it).
/// </summary>
public sealed class PositionalSqlTests
{
    private static readonly HashSet<string> Names = ["p0", "p1", "__id_0", "roles"];

    [Fact]
    public void Each_statement_numbers_its_placeholders_in_order_of_first_use_and_a_repeat_keeps_its_number()
    {
        var statements = PositionalSql.Rewrite(
            "UPDATE \"T\" SET \"A\" = @p1, \"B\" = @p0 WHERE \"Id\" = @p1;\nINSERT INTO \"U\" (\"X\") VALUES (@p0);\n", Names)!;

        Assert.Equal(2, statements.Count);
        Assert.Equal("UPDATE \"T\" SET \"A\" = $1, \"B\" = $2 WHERE \"Id\" = $1", statements[0].Text);
        Assert.Equal(["p1", "p0"], statements[0].Names);
        Assert.Equal("INSERT INTO \"U\" (\"X\") VALUES ($1)", statements[1].Text);
        Assert.Equal(["p0"], statements[1].Names);
    }

    [Fact]
    public void Quoted_literals_identifiers_and_line_comments_are_copied_whole_placeholders_and_semicolons_included()
    {
        const string sql = "SELECT 'it''s @p0; -- no', \"we@p1;\"\"ird\" -- note @p0; here\nFROM \"T\" WHERE \"Id\" = @__id_0";

        var statement = Assert.Single(PositionalSql.Rewrite(sql, Names)!);

        Assert.Equal("SELECT 'it''s @p0; -- no', \"we@p1;\"\"ird\" -- note @p0; here\nFROM \"T\" WHERE \"Id\" = $1", statement.Text);
        Assert.Equal(["__id_0"], statement.Names);
    }

    [Fact]
    public void An_at_sign_that_names_no_parameter_is_left_as_written()
    {
        var statement = Assert.Single(PositionalSql.Rewrite("SELECT \"R\" @> @roles, @other, @ FROM \"T\" WHERE a = @p0x", Names)!);

        Assert.Equal("SELECT \"R\" @> $1, @other, @ FROM \"T\" WHERE a = @p0x", statement.Text);
        Assert.Equal(["roles"], statement.Names);
    }

    [Theory]
    [InlineData("SELECT $$a$$ WHERE x = @p0", "dollar quoting")]
    [InlineData("SELECT * FROM t WHERE x = $1 AND y = @p0", "a positional placeholder already")]
    [InlineData("SELECT E'a\\'b' WHERE x = @p0", "an escape string")]
    [InlineData("SELECT U&\"d\\0061t\" WHERE x = @p0", "a Unicode identifier")]
    [InlineData("SELECT /* @p0 */ 1 WHERE x = @p0", "a block comment")]
    [InlineData("SELECT 'open WHERE x = @p0", "an unterminated literal")]
    [InlineData("SELECT \"open WHERE x = @p0", "an unterminated identifier")]
    [InlineData("SELECT 1 WHERE x = @P0", "a name matching a parameter only when case is ignored")]
    [InlineData("  ;  ", "no statement")]
    public void Text_it_cannot_read_with_certainty_is_refused(string sql, string why)
    {
        Assert.True(PositionalSql.Rewrite(sql, Names) is null, $"{why} must keep the command named: {sql}");
    }

    [Fact]
    public void An_E_that_ends_a_word_before_a_quote_is_not_an_escape_string()
    {
        var statement = Assert.Single(PositionalSql.Rewrite("SELECT CASE WHEN a = @p0 THEN 'E' ELSE'x' END FROM \"T\"", Names)!);

        Assert.Equal("SELECT CASE WHEN a = $1 THEN 'E' ELSE'x' END FROM \"T\"", statement.Text);
    }
}
