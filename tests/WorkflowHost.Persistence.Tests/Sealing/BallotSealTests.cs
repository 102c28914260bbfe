using System.Security.Cryptography;
using WorkflowHost.Persistence.Sealing;

namespace WorkflowHost.Persistence.Tests.Sealing;

/// <summary>
/// A secret vote's sealed choice: what was sealed before still opens (the padding and the associated data are unchanged
/// byte for byte), choices of every length round-trip, and sealing one allocates little more than the sealed bytes.
/// </summary>
public sealed class BallotSealTests
{
    private static readonly StoreKeys Keys = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly Guid Instance = Guid.Parse("6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");

    // Sealed by the code of session 20 (before the stack-written associated data), with the key and instance above.
    [Theory]
    [InlineData("committee-ballot#2", "consent", "01C8D28C8C7BA8A3A7FC34123F4D3CD4814A1A4D8B08C7C7721D6341870DFEF3F1F4A313B4DE2887E74E6B96D9E2575E89CFD8234F66DE7EF037FC0B982D1DC7EC742345695B4800C723E7840509C12577AA119B2FB1EC14A372B0482D0C7B94374609C6EAFA4F6DFCF416EBBCD55791897D5DE091B689520CB5BF5B1A387319FDF9F2F6605EF6762FA9A9C949556330950E3BB303663AEC8BAF9EF57A")]
    [InlineData("表决#1", "反对", "01FB52BD4E05D30004D189FBB218CB64273F755A48C0D3DF91586244FD1AE381869B239E47525B8AE9F4BA1BE8F6718F396EEDD5F93AAE198E1C899443B86AD5E246214300EC3C9FE1D0C809AC7C03D6ECBFD5206911B1FE028ECF2C2F75AD07EFDF6F566639D3E4D60ABAFDAB1FE9226549A067CBF3DF5D7A17F2D5559DE71F93E9E8ED6A836CCCD8CDC5E0106D9919B4D8972F4AF938BF703D0EDA9C")]
    [InlineData("b", "", "01868873ECBFCD3F1034A1CE8149D7B66EC9F99678A1D6C0D74CCA7E212F4ADB97B81484784D4FEC8EC9DA6A1DF2E82A90FE604F9C3797AC0E78E826F8B0E1F38585A5FB70911C7E8D07111D4E0AE9AC9E867719587CB112D0F974E5FA6218C4C20662D0F26AB8ED90B1A3F1BC8A857BBA4CC160E80089B90D06055B7503B5236841187119C5EFD13F87CE67697B3282840E4DBBFAEC7D2AF198AE8E3E")]
    public void A_choice_sealed_before_still_opens_and_only_on_its_own_ballot(string bookmark, string choice, string sealedHex)
    {
        var sealedChoice = Convert.FromHexString(sealedHex);

        Assert.Equal(choice, BallotSeal.Unseal(Keys, Instance, bookmark, sealedChoice));
        Assert.Throws<CryptographicException>(() => BallotSeal.Unseal(Keys, Guid.NewGuid(), bookmark, sealedChoice));
        Assert.Throws<CryptographicException>(() => BallotSeal.Unseal(Keys, Instance, bookmark + "x", sealedChoice));
    }

    [Fact]
    public void Choices_of_every_length_and_long_ballot_names_round_trip_and_a_choice_too_long_is_refused()
    {
        var random = new Random(188);
        foreach (var bookmark in new[] { "ballot#1", new string('长', 120), new string('b', 400) })
        {
            for (var length = 0; length <= 126; length += 7)
            {
                var choice = new string((char)random.Next('a', 'z' + 1), length);
                var sealedChoice = BallotSeal.Seal(Keys, Instance, bookmark, choice);

                Assert.Equal(BallotSeal.SealedLength, sealedChoice.Length);
                Assert.Equal(choice, BallotSeal.Unseal(Keys, Instance, bookmark, sealedChoice));
            }
        }

        Assert.Equal(new string('x', 126), BallotSeal.Unseal(Keys, Instance, "b", BallotSeal.Seal(Keys, Instance, "b", new string('x', 126))));
        Assert.Throws<ArgumentException>(() => BallotSeal.Seal(Keys, Instance, "b", new string('x', 127)));
        Assert.Throws<ArgumentException>(() => BallotSeal.Seal(Keys, Instance, "b", new string('长', 43)));
    }

    [Fact]
    public void Sealing_a_choice_allocates_little_more_than_the_sealed_bytes()
    {
        BallotSeal.Seal(Keys, Instance, "committee-ballot#2", "consent");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            BallotSeal.Seal(Keys, Instance, "committee-ballot#2", "consent");
        }

        var perSeal = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        TestContext.Current.TestOutputHelper?.WriteLine($"{perSeal} B a seal");
        Assert.True(perSeal < BallotSeal.SealedLength + 24 + 300, $"{perSeal} B a seal");
    }
}
