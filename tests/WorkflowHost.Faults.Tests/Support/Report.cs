using System.Globalization;

namespace WorkflowHost.Faults.Tests.Support;

/// <summary>Long runs append their closing line to the file named by <c>WORKFLOWHOST_FAULTS_REPORT</c>, for docs/reliability.md.</summary>
public static class Report
{
    public static void Append(string line)
    {
        if (Environment.GetEnvironmentVariable("WORKFLOWHOST_FAULTS_REPORT") is { Length: > 0 } file)
        {
            File.AppendAllText(file, string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} {line}\n"));
        }
    }
}
