using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// The HTTP side of a vote after decision 177: a signed-in request is authenticated by the authentication middleware
/// alone (the policies name no scheme), and the antiforgery filter, which hands bearer requests on without a frame of
/// its own, still refuses a cookie vote without a valid token.
/// </summary>
public sealed class VoteRequestPipelineTests
{
    private const string BallotStep = "committee-ballot#2";

    [Fact]
    public async Task A_bearer_vote_is_authenticated_once_through_the_policy_scheme_and_the_authorization_does_not_repeat_it()
    {
        var calls = new AuthenticationCalls();
        await using var factory = new HostFactory(services: calls.Decorate);
        var api = new ApiDriver(factory);
        var ballot = await api.AtBallotAsync();
        var token = await api.TokenAsync(People.Member);

        calls.Clear();
        using var client = factory.CreateClient();
        using var vote = VoteRequest(ballot);
        vote.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(vote);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

        // The middleware's default scheme, and the bearer handler it forwards to: nothing else asks again.
        Assert.Equal([AccountsRegistration.Scheme, IdentityConstants.BearerScheme], calls.Schemes);
    }

    [Fact]
    public async Task A_vote_without_a_sign_in_or_with_a_forged_token_is_still_challenged_with_401()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        var ballot = await api.AtBallotAsync();
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var anonymous = VoteRequest(ballot);
        using var refused = await client.SendAsync(anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var forged = VoteRequest(ballot);
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var forgedAnswer = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedAnswer.StatusCode);
        Assert.Null(forgedAnswer.Headers.Location);
    }

    [Fact]
    public async Task A_cookie_vote_needs_the_antiforgery_token_and_a_bearer_vote_does_not()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        var ballot = await api.AtBallotAsync();
        using var browser = await CookieBrowser.SignedInAsync(factory, People.Member);

        // Signed in by cookie: no token, then a token that is not one, are refused before the step runs.
        using (var withoutToken = await browser.SendAsync(VoteRequest(ballot)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
            Assert.Equal("antiforgery", JsonNode.Parse(await withoutToken.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }

        var wrong = VoteRequest(ballot);
        wrong.Headers.Add(AccountsRegistration.AntiforgeryHeader, "CfDJ8-not-a-token");
        using (var withWrongToken = await browser.SendAsync(wrong))
        {
            Assert.Equal(HttpStatusCode.BadRequest, withWrongToken.StatusCode);
            Assert.Equal("antiforgery", JsonNode.Parse(await withWrongToken.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }

        // Neither refused request voted: the member's vote with the token is the first, not a replay or a second vote.
        var right = VoteRequest(ballot);
        right.Headers.Add(AccountsRegistration.AntiforgeryHeader, await browser.AntiforgeryTokenAsync());
        using (var withToken = await browser.SendAsync(right))
        {
            Assert.True(withToken.StatusCode == HttpStatusCode.OK, $"{(int)withToken.StatusCode} {await withToken.Content.ReadAsStringAsync()}");
            Assert.False(withToken.Headers.Contains("Idempotency-Replayed"));
        }

        // A bearer request is not exposed to CSRF: no token needed.
        using var client = factory.CreateClient();
        using var bearer = VoteRequest(ballot);
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await api.TokenAsync("p-member-zhao"));
        using var byBearer = await client.SendAsync(bearer);
        Assert.True(byBearer.StatusCode == HttpStatusCode.OK, $"{(int)byBearer.StatusCode} {await byBearer.Content.ReadAsStringAsync()}");
    }

    private static HttpRequestMessage VoteRequest(Guid ballot)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ApiDriver.Step(ballot, BallotStep, "vote"))
        {
            Content = JsonContent.Create(new { choice = "consent" }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }

    /// <summary>Every scheme the host's authentication service is asked to authenticate, in order.</summary>
    private sealed class AuthenticationCalls
    {
        private readonly ConcurrentQueue<string> schemes = new();

        public string[] Schemes => [.. schemes];

        public void Clear() => schemes.Clear();

        public void Decorate(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(IAuthenticationService));
            services.Remove(original);
            services.AddScoped<IAuthenticationService>(provider => new Counting(
                (IAuthenticationService)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!), schemes));
        }

        private sealed class Counting(IAuthenticationService inner, ConcurrentQueue<string> schemes) : IAuthenticationService
        {
            public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
            {
                schemes.Enqueue(scheme ?? "(default)");
                return inner.AuthenticateAsync(context, scheme);
            }

            public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ChallengeAsync(context, scheme, properties);

            public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ForbidAsync(context, scheme, properties);

            public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
                inner.SignInAsync(context, scheme, principal, properties);

            public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.SignOutAsync(context, scheme, properties);
        }
    }
}
