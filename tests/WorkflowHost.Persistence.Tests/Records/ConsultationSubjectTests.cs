using System.Text.Json.Nodes;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.Tests.Records;

/// <summary>The subject key of a consultation (decision 145): the lookup's comparison, as a stored key.</summary>
public sealed class ConsultationSubjectTests
{
    [Fact]
    public void Parameters_that_differ_only_by_surrounding_spaces_have_the_same_key()
    {
        var trimmed = ConsultationSubject.KeyOf(new JsonObject { ["nominee"] = "周立新", ["kind"] = "promotion", ["unit"] = "unit-a" });
        var padded = ConsultationSubject.KeyOf(new JsonObject { ["nominee"] = "  周立新\t", ["kind"] = " promotion ", ["unit"] = "unit-b" });

        Assert.Equal(trimmed, padded); // the unit is matched by its own column, not by the key
        Assert.Equal(ConsultationSubject.KeyLength, trimmed.Length);
        Assert.Matches("^[0-9a-f]+$", trimmed);
    }

    [Fact]
    public void Blank_and_non_text_values_count_as_absent_and_absent_differs_from_any_text()
    {
        var absent = ConsultationSubject.KeyOf(null, "promotion");

        Assert.Equal(absent, ConsultationSubject.KeyOf(new JsonObject { ["nominee"] = "   ", ["kind"] = "promotion" }));
        Assert.Equal(absent, ConsultationSubject.KeyOf(new JsonObject { ["nominee"] = 42, ["kind"] = "promotion" }));
        Assert.Equal(absent, ConsultationSubject.KeyOf(new JsonObject { ["kind"] = "promotion" }));
        Assert.NotEqual(absent, ConsultationSubject.KeyOf("~", "promotion"));
        Assert.NotEqual(absent, ConsultationSubject.KeyOf("", "promotion"));
    }

    [Fact]
    public void A_name_cannot_run_into_the_kind()
    {
        Assert.NotEqual(ConsultationSubject.KeyOf("周立新;1:a", "b"), ConsultationSubject.KeyOf("周立新", "a;1:b"));
        Assert.NotEqual(ConsultationSubject.KeyOf("周立新", "award"), ConsultationSubject.KeyOf("周立新", "promotion"));
        Assert.NotEqual(ConsultationSubject.KeyOf("周立新", "award"), ConsultationSubject.KeyOf("award", "周立新"));
    }

    [Fact]
    public void The_key_of_a_subject_never_changes_because_stored_keys_would_no_longer_be_found()
    {
        // Pinned when the keys were introduced: a change here leaves every stored key unmatched unless all are filled again.
        Assert.Equal(PinnedKey, ConsultationSubject.KeyOf("周立新", "promotion"));
    }

    private const string PinnedKey = "de40f7341774659f0c6f78a1a9d1f11d";
}
