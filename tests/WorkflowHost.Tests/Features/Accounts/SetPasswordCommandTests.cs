using System.Net;
using System.Net.Http.Json;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Tests.Support;
using static WorkflowHost.Tests.Features.Accounts.SessionTests;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// The <c>set-password</c> command's reading of standard input and its writes: several accounts in one start
/// (<c>--lines</c>, one <c>PERSON-ID&lt;TAB&gt;PASSWORD</c> a line), each then signing in with its own password and its
/// earlier sessions ended; and a single bad line refusing the whole input, naming the line, with no account changed.
/// </summary>
public sealed class SetPasswordCommandTests
{
    private const string LiaisonPassword = "pebble lighthouse mango river";
    private const string MemberPassword = "quiet harbour\twith a tab inside";

    [Fact]
    public async Task Lines_are_split_at_the_first_tab_blank_lines_are_skipped_and_each_keeps_its_line_number()
    {
        var lines = await SetPasswordLines.ManyAsync(new StringReader($"{People.Liaison}\t{LiaisonPassword}\n\n{People.Member}\t{MemberPassword}\nno-tab-here\n"));

        Assert.Equal(
            [new SetPasswordLine(1, People.Liaison, LiaisonPassword), new SetPasswordLine(3, People.Member, MemberPassword), new SetPasswordLine(4, "no-tab-here", "")],
            lines);
        Assert.Equal(new SetPasswordLine(1, People.Office, "the first line only"), SetPasswordLines.One(People.Office, new StringReader("the first line only\nnot this")));
    }

    [Fact]
    public async Task Several_passwords_are_set_in_one_call_and_end_the_accounts_sessions_SQLite()
    {
        await using var factory = new HostFactory();
        await SetsSeveralAsync(factory);
    }

    [Fact]
    public async Task Several_passwords_are_set_in_one_call_and_end_the_accounts_sessions_PostgreSql()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var factory = new HostFactory(postgreSql: database);
        await SetsSeveralAsync(factory);
    }

    [Fact]
    public async Task One_bad_line_refuses_the_whole_input_names_the_line_and_changes_no_account()
    {
        await using var factory = new HostFactory();
        var before = await SignInAsync(factory, People.Liaison);
        var input = string.Join('\n',
            $"{People.Liaison}\t{LiaisonPassword}",
            "p-nobody\tsome long enough password",
            $"{People.Office}\tpassword1234",
            $"{People.Liaison}\tanother long password here",
            $"{People.Secretary} missing the tab",
            $"{People.Member}\tshort");

        var result = await SetPasswords.ApplyAsync(factory.Services, await SetPasswordLines.ManyAsync(new StringReader(input)), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Set);
        Assert.Collection(result.Problems,
            p => Assert.Equal("Line 2: No account for person 'p-nobody'.", p),
            p => Assert.StartsWith($"Line 3 ({People.Office}): This password is on the list of commonly used passwords", p),
            p => Assert.StartsWith($"Line 4: '{People.Liaison}' is on an earlier line too", p),
            p => Assert.StartsWith("Line 5: The person id must not contain spaces", p),
            p => Assert.StartsWith($"Line 6 ({People.Member}): ", p));

        // Line 1 was good, and still nothing changed: the old password works and the earlier session goes on.
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(factory, People.Liaison, DemoAccounts.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(factory, People.Liaison, LiaisonPassword));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(factory, before.Access));
    }

    [Fact]
    public async Task No_lines_at_all_is_refused()
    {
        await using var factory = new HostFactory();

        var result = await SetPasswords.ApplyAsync(factory.Services, await SetPasswordLines.ManyAsync(new StringReader("\n\n")), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("No lines on standard input", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    private static async Task SetsSeveralAsync(HostFactory factory)
    {
        var liaisonBefore = await SignInAsync(factory, People.Liaison);
        var memberBefore = await SignInAsync(factory, People.Member);
        var officeBefore = await SignInAsync(factory, People.Office);
        var lines = await SetPasswordLines.ManyAsync(new StringReader($"{People.Liaison}\t{LiaisonPassword}\n{People.Member}\t{MemberPassword}\n"));

        var result = await SetPasswords.ApplyAsync(factory.Services, lines, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal([People.Liaison, People.Member], result.Set);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(factory, People.Liaison, LiaisonPassword));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(factory, People.Member, MemberPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(factory, People.Liaison, DemoAccounts.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, liaisonBefore.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(factory, memberBefore.Access));

        // A person not on a line keeps their password and their session.
        Assert.Equal(HttpStatusCode.OK, await MeAsync(factory, officeBefore.Access));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(factory, People.Office, DemoAccounts.Password));
    }

    private static async Task<HttpStatusCode> TokenStatusAsync(HostFactory factory, string userName, string password)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/account/token", new { userName, password });
        return response.StatusCode;
    }
}
