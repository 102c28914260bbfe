using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Scheduling;

/// <summary>
/// The Hangfire dashboard is for administrators only. Requests come from the loopback address, where Hangfire's own
/// default would let anyone in; identity is not built yet, so a test header stands in for a signed-in user.
/// </summary>
public sealed class DashboardAccessTests
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("committee-member", HttpStatusCode.Forbidden)]
    [InlineData("administrator", HttpStatusCode.OK)]
    public async Task Only_an_administrator_opens_the_dashboard_even_from_localhost(string? role, HttpStatusCode expected)
    {
        await using var factory = new HostFactory();
        using var client = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddTransient<IStartupFilter, LoopbackUserFromHeader>())).CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        if (role is not null)
        {
            request.Headers.Add(LoopbackUserFromHeader.Header, role);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Failed_deliveries_are_listed_for_administrators_only()
    {
        await using var factory = new HostFactory();
        using var client = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddTransient<IStartupFilter, LoopbackUserFromHeader>())).CreateClient();
        using var anonymous = await client.GetAsync("/api/admin/notifications/failed", TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/notifications/failed");
        request.Headers.Add(LoopbackUserFromHeader.Header, "administrator");
        using var admin = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("[]", await admin.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Without_any_test_user_the_host_as_shipped_lets_nobody_into_the_dashboard()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/hangfire", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Marks every request as coming from 127.0.0.1 and, given the header, signs in a user with that role.</summary>
    private sealed class LoopbackUserFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Role";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                context.Connection.LocalIpAddress = IPAddress.Loopback;
                if (context.Request.Headers.TryGetValue(Header, out var role))
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "p-test"), new Claim(ClaimTypes.Role, role.ToString())], "Test"));
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
