using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkflowHost.Engine.Ballots;

/// <summary>An exact ratio such as 1/2 or 2/3, written as a string in definitions; thresholds never go through floating point.</summary>
[JsonConverter(typeof(FractionJsonConverter))]
public readonly record struct Fraction(int Numerator, int Denominator)
{
    public static readonly Fraction Half = new(1, 2);

    public bool IsValid => Denominator > 0 && Numerator > 0 && Numerator <= Denominator;

    /// <summary><paramref name="count"/> is more than this share of <paramref name="total"/>.</summary>
    public bool IsExceededBy(int count, int total) => (long)count * Denominator > (long)Numerator * total;

    /// <summary><paramref name="count"/> is at least this share of <paramref name="total"/>.</summary>
    public bool IsReachedBy(int count, int total) => (long)count * Denominator >= (long)Numerator * total;

    public static bool TryParse(string? text, out Fraction fraction)
    {
        fraction = default;
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var numerator)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var denominator))
        {
            return false;
        }

        fraction = new Fraction(numerator, denominator);
        return true;
    }

    public override string ToString() => $"{Numerator}/{Denominator}";
}

internal sealed class FractionJsonConverter : JsonConverter<Fraction>
{
    public override Fraction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return Fraction.TryParse(text, out var fraction)
            ? fraction
            : throw new JsonException($"A fraction is written as a string such as \"1/2\" or \"2/3\", not {text ?? reader.TokenType.ToString()}.");
    }

    public override void Write(Utf8JsonWriter writer, Fraction value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
