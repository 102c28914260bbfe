using System.Text;

namespace WorkflowHost.Engine.Definitions;

/// <summary>Turns a validator's property path (<c>Activities[2].Assignee</c>) into the file's JSON path (<c>$.activities[2].assignee</c>).</summary>
internal static class JsonPaths
{
    public static string From(string propertyPath)
    {
        if (string.IsNullOrEmpty(propertyPath))
        {
            return "$";
        }

        if (propertyPath.StartsWith('$'))
        {
            return propertyPath;
        }

        var builder = new StringBuilder("$");
        foreach (var segment in propertyPath.Split('.'))
        {
            builder.Append('.').Append(segment switch
            {
                "ZhCn" => "zh-CN",
                _ when segment.Length > 0 => char.ToLowerInvariant(segment[0]) + segment[1..],
                _ => segment,
            });
        }

        return builder.ToString();
    }
}
