using System.Text;

namespace WorkflowHost.Persistence.PostgreSql;

/// <summary>
/// One statement of a command in Npgsql's positional form: its text with <c>$1…$n</c> where the command had
/// <c>@name</c>, and the parameter names those numbers stand for, in order (a name used twice in a statement is one number).
/// </summary>
internal sealed record PositionalStatement(string Text, IReadOnlyList<string> Names);

/// <summary>
/// Rewrites the SQL EF Core writes for PostgreSQL, <c>@name</c> placeholders and <c>;</c> between statements, into
/// positional statements once, so that Npgsql does not parse and rewrite the same text on every execution (decision 188).
/// </summary>
/// <remarks>
/// Conservative by design: it answers null, and the command stays as EF Core wrote it, for anything it does not read with
/// certainty (a <c>$</c> outside quotes, which may be dollar quoting or a placeholder already; an <c>E'…'</c> or
/// <c>U&amp;</c> literal; a block comment; an unterminated quote; a placeholder whose name matches a parameter only
/// when case is ignored). An <c>@word</c> that names no parameter (an operator such as <c>@&gt;</c> cannot, as no name
/// starts with <c>&gt;</c>) is left as written, as Npgsql's own parser leaves it.
/// </remarks>
internal static class PositionalSql
{
    public static IReadOnlyList<PositionalStatement>? Rewrite(string sql, IReadOnlySet<string> parameterNames)
    {
        var statements = new List<PositionalStatement>();
        var text = new StringBuilder(sql.Length);
        var names = new List<string>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            switch (c)
            {
                case '\'':
                    if (i > 0 && sql[i - 1] is 'E' or 'e' && (i == 1 || !IsNameChar(sql[i - 2])))
                    {
                        return null;
                    }

                    if (!CopyQuoted(sql, ref i, '\'', text))
                    {
                        return null;
                    }

                    continue;
                case '"':
                    if (i > 1 && sql[i - 1] == '&' && sql[i - 2] is 'U' or 'u')
                    {
                        return null;
                    }

                    if (!CopyQuoted(sql, ref i, '"', text))
                    {
                        return null;
                    }

                    continue;
                case '$':
                    return null;
                case '/' when i + 1 < sql.Length && sql[i + 1] == '*':
                    return null;
                case '-' when i + 1 < sql.Length && sql[i + 1] == '-':
                    var end = sql.IndexOf('\n', i);
                    end = end < 0 ? sql.Length : end;
                    text.Append(sql, i, end - i);
                    i = end;
                    continue;
                case ';':
                    Close(statements, text, names);
                    i++;
                    continue;
                case '@':
                    var start = i + 1;
                    var stop = start;
                    while (stop < sql.Length && IsNameChar(sql[stop]))
                    {
                        stop++;
                    }

                    if (stop > start)
                    {
                        var name = sql[start..stop];
                        if (parameterNames.Contains(name))
                        {
                            var number = names.IndexOf(name);
                            if (number < 0)
                            {
                                names.Add(name);
                                number = names.Count - 1;
                            }

                            text.Append('$').Append(number + 1);
                            i = stop;
                            continue;
                        }

                        if (parameterNames.Any(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase)))
                        {
                            return null;
                        }
                    }

                    text.Append(c);
                    i++;
                    continue;
                default:
                    text.Append(c);
                    i++;
                    continue;
            }
        }

        Close(statements, text, names);
        return statements.Count > 0 ? statements : null;
    }

    // Npgsql's parser takes letters, digits, '_' and '.' into a parameter's name.
    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '.';

    /// <summary>Copies a quoted literal or identifier whole (a doubled quote is part of it); false when it never ends.</summary>
    private static bool CopyQuoted(string sql, ref int i, char quote, StringBuilder text)
    {
        var j = i + 1;
        while (true)
        {
            j = sql.IndexOf(quote, j);
            if (j < 0)
            {
                return false;
            }

            if (j + 1 < sql.Length && sql[j + 1] == quote)
            {
                j += 2;
                continue;
            }

            text.Append(sql, i, j + 1 - i);
            i = j + 1;
            return true;
        }
    }

    private static void Close(List<PositionalStatement> statements, StringBuilder text, List<string> names)
    {
        var statement = text.ToString().Trim();
        if (statement.Length > 0)
        {
            statements.Add(new PositionalStatement(statement, [.. names]));
        }

        text.Clear();
        names.Clear();
    }
}
