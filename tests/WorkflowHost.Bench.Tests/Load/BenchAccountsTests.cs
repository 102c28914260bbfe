using WorkflowHost.Bench.Load;

namespace WorkflowHost.Bench.Tests.Load;

public class BenchAccountsTests
{
    [Fact]
    public void Everyone_the_scenario_signs_in_as_gets_a_password_the_liaison_the_office_and_all_fourteen_committee_members()
    {
        var people = BenchAccounts.PeopleToSignIn(LoadRun.RepositoryRoot());

        Assert.Equal(16, people.Count);
        Assert.Equal(people.Count, people.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(Consultations.Liaison, people);
        Assert.Contains(Consultations.Office, people);
        Assert.Contains("p-secretary-wang", people);
        Assert.Contains("p-member-xu", people);
        Assert.DoesNotContain("p-admin-shen", people);
    }

    [Fact]
    public void Development_signs_in_with_the_demo_password()
    {
        Assert.Equal("Binhe-Demo-2026", BenchAccounts.Demo().PasswordFor("p-member-li"));
    }
}
