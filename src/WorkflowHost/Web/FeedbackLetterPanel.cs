using WorkflowHost.Persistence.InService.Feedback;

namespace WorkflowHost.Web;

/// <summary>A feedback letter (反馈函) to print, with the texts of the reader's language.</summary>
public sealed record FeedbackLetterPanel(FeedbackLetter Letter, Texts T);
