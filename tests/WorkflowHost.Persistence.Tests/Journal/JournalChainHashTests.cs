using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Persistence.Sealing;

namespace WorkflowHost.Persistence.Tests.Journal;

/// <summary>
/// The journal's hash is written into one rented buffer (docs/benchmarks.md section 21a) instead of a joined string and
/// its copies: every stored chain must still verify, so the hashes must be exactly what the joined text gave.
/// </summary>
public sealed class JournalChainHashTests
{
    private static readonly StoreKeys Keys = new([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);

    /// <summary>Computed outside .NET (Python's hmac and hashlib, HKDF written out; the time as its UTC ticks) from the text layout.</summary>
    [Theory]
    [InlineData(JournalChain.KeyedScheme, "248d05502b70f9b54cb2ed4bac670dfe13e9e3df419fb641efe2c65c2d0194db")]
    [InlineData(JournalChain.LegacyScheme, "d45bfbbda7b2e3bcb05c79579a4df03aeadd435c3680e45c8a4ff1eafbbe3e07")]
    public void A_known_event_hashes_to_the_value_computed_elsewhere(int scheme, string expected)
    {
        var hash = JournalChain.Compute(Keys, scheme, "ab12", Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), 7, "VoteCast",
            new DateTimeOffset(638000000000000000, TimeSpan.FromHours(8)), "{\"choice\":\"consent\",\"note\":\"Zhào ✓\"}");

        Assert.Equal(expected, hash);
    }

    /// <summary>
    /// Random fields (non-ASCII text, lone surrogates, empty and long data, negative and extreme numbers) hash as the
    /// joined string did, for both schemes.
    /// </summary>
    [Fact]
    public void Any_event_hashes_as_the_joined_text_did()
    {
        var random = new Random(18);
        for (var i = 0; i < 2_000; i++)
        {
            var previous = i % 7 == 0 ? JournalChain.Genesis : RandomText(random, 64);
            var instance = Guid.NewGuid();
            var sequence = i % 11 == 0 ? (random.Next(2) == 0 ? long.MinValue : long.MaxValue) : random.NextInt64(-1_000, 1_000_000);
            var type = RandomText(random, 20);
            var at = new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
            var data = RandomText(random, i % 50 == 0 ? 20_000 : 600);
            foreach (var scheme in new[] { JournalChain.KeyedScheme, JournalChain.LegacyScheme })
            {
                Assert.Equal(Joined(scheme, previous, instance, sequence, type, at, data), JournalChain.Compute(Keys, scheme, previous, instance, sequence, type, at, data));
            }
        }
    }

    [Fact]
    public void An_unknown_scheme_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalChain.Compute(Keys, 2, "", Guid.NewGuid(), 1, "t", DateTimeOffset.UnixEpoch, "{}"));
    }

    /// <summary>The hash as it was computed before: the fields joined by '\n' as a string, then its UTF-8.</summary>
    private static string Joined(int scheme, string previous, Guid instance, long sequence, string type, DateTimeOffset at, string data)
    {
        var text = Encoding.UTF8.GetBytes(string.Join('\n', previous, instance.ToString("D"), sequence.ToString(CultureInfo.InvariantCulture), type,
            at.UtcTicks.ToString(CultureInfo.InvariantCulture), data));
        byte[] keyed = [.. Encoding.ASCII.GetBytes("wfh-journal-v1\n"), .. text];
        return scheme == JournalChain.KeyedScheme
            ? Convert.ToHexStringLower(HMACSHA256.HashData(Keys.JournalKey.ToArray(), keyed))
            : Convert.ToHexStringLower(SHA256.HashData(text));
    }

    private static string RandomText(Random random, int most)
    {
        var chars = new char[random.Next(most + 1)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(10) switch
            {
                0 => (char)random.Next(0xD800, 0xE000), // a lone or paired surrogate, as it falls
                1 => (char)random.Next(0x80, 0x800),
                2 => (char)random.Next(0x800, 0xD800),
                3 => '\n',
                _ => (char)random.Next(0x20, 0x7F),
            };
        }

        return new string(chars);
    }
}
