// One Chromium for the whole assembly; each scenario opens its own contexts on it (Browser.LaunchAsync).
[assembly: AssemblyFixture(typeof(WorkflowHost.Web.Tests.SharedChromium))]
