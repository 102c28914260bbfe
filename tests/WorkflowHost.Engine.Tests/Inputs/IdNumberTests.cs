using System.Text.Json.Nodes;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.InputForm;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Inputs;

/// <summary>Identity numbers (GB 11643): the check character is verified and only the masked form is kept.</summary>
public sealed class IdNumberTests
{
    [Theory]
    [InlineData("11010519491231002X", "110***********002X")]
    [InlineData("11010519491231002x", "110***********002X")]
    [InlineData(" 440524188001010014 ", "440***********0014")]
    public void An_identity_number_is_kept_masked(string number, string masked)
    {
        var (normalised, refusal) = Validate(new JsonObject { ["title"] = "t", ["nominee"] = number });

        Assert.Null(refusal);
        Assert.Equal(masked, normalised!["nominee"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("110105194912310021")]  // wrong check digit
    [InlineData("440524188001010015")]
    [InlineData("11010519491231002")]   // 17 characters
    [InlineData("1101051949123100X2")]
    [InlineData("110***********002X")]  // a masked number is no number
    public void An_identity_number_with_a_wrong_check_digit_or_shape_is_refused(string number) =>
        AssertRefused(new JsonObject { ["title"] = "t", ["nominee"] = number }, "nominee", "'nominee' must be an 18-character resident identity number.");

    [Fact]
    public void Only_the_masked_identity_number_is_kept_in_state_and_effects()
    {
        var driver = Consultation.Submitted(input: PromotionInput.WithIdNumber());

        Assert.Equal(PromotionInput.MaskedIdNumber, driver.State.Input["nomineeIdNumber"]!.GetValue<string>());
        Assert.DoesNotContain(PromotionInput.IdNumber, EngineJsonText.Of(driver.State), StringComparison.Ordinal);
        Assert.DoesNotContain(PromotionInput.IdNumber, EngineJsonText.Of(driver.History), StringComparison.Ordinal);
        Assert.Contains(PromotionInput.MaskedIdNumber, EngineJsonText.Of(driver.History), StringComparison.Ordinal);
    }

    [Fact]
    public void A_start_with_an_invalid_identity_number_is_refused_by_field()
    {
        var input = PromotionInput.Valid();
        input["nomineeIdNumber"] = "110105194912310021";

        var result = new InstanceDriver(TestDefinitions.PromotionConsultation).TryStart(DetaiLiaison, input);

        Assert.Equal(["nomineeIdNumber"], result.Refusal!.FieldErrors!.Keys);
    }
}
