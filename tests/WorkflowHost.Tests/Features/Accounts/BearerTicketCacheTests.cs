using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Features.Accounts;

namespace WorkflowHost.Tests.Features.Accounts;

/// <summary>
/// The cache of unprotected bearer tickets (issue 18) skips the decryption only: what it hands out must be what the
/// protector would have given, a fresh copy each time, and never a ticket past its end. That a session ended is still
/// refused with the same token is <see cref="SessionTests"/>' business, run through the cache.
/// </summary>
public sealed class BearerTicketCacheTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_token_is_unprotected_once_and_each_request_gets_its_own_principal()
    {
        var protector = new CountingProtector(time.GetUtcNow().AddMinutes(60));
        var cache = new BearerTicketCache(time);

        var first = cache.Unprotect(protector, "token-a")!;
        var second = cache.Unprotect(protector, "token-a")!;

        Assert.Equal(1, protector.Calls);
        Assert.NotSame(first.Principal, second.Principal);
        Assert.Equal("p-1", second.Principal.FindFirstValue("person"));
        first.Principal.AddIdentity(new ClaimsIdentity([new Claim("added", "by one request")]));
        Assert.Null(cache.Unprotect(protector, "token-a")!.Principal.FindFirst("added"));
    }

    [Fact]
    public void A_token_read_from_within_its_header_finds_the_ticket_kept_for_it()
    {
        var protector = new CountingProtector(time.GetUtcNow().AddMinutes(60));
        var cache = new BearerTicketCache(time);
        const string Header = "Bearer token-a";

        cache.Unprotect(protector, Header.AsSpan("Bearer ".Length));
        var again = cache.Unprotect(protector, "token-a");
        cache.Unprotect(protector, "token-b");

        Assert.Equal("p-1", again!.Principal.FindFirstValue("person"));
        Assert.Equal(2, protector.Calls); // token-a once (by span, then found by string), token-b once
        Assert.Equal(["token-a", "token-b"], protector.Texts);
    }

    [Fact]
    public void Forged_and_expired_tokens_are_not_kept()
    {
        var forged = new CountingProtector(expires: null, forged: true);
        var expired = new CountingProtector(time.GetUtcNow().AddMinutes(-1));
        var cache = new BearerTicketCache(time);

        Assert.Null(cache.Unprotect(forged, "forged"));
        Assert.Null(cache.Unprotect(forged, "forged"));
        cache.Unprotect(expired, "old");
        cache.Unprotect(expired, "old");

        Assert.Equal(2, forged.Calls);
        Assert.Equal(2, expired.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_stays_bounded_and_drops_the_expired_first()
    {
        var shortLived = new CountingProtector(time.GetUtcNow().AddMinutes(5));
        var longLived = new CountingProtector(time.GetUtcNow().AddMinutes(60));
        var cache = new BearerTicketCache(time);
        cache.Unprotect(longLived, "keeps");
        for (var i = 1; i < BearerTicketCache.Capacity; i++)
        {
            cache.Unprotect(shortLived, $"short-{i}");
        }

        time.Advance(TimeSpan.FromMinutes(10));
        cache.Unprotect(longLived, "new");

        Assert.Equal(2, cache.Count);
        cache.Unprotect(longLived, "keeps");
        Assert.Equal(2, longLived.Calls); // "keeps" survived the eviction: only "keeps" and "new" were unprotected
    }

    private sealed class CountingProtector(DateTimeOffset? expires, bool forged = false) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Calls { get; private set; }

        public List<string?> Texts { get; } = [];

        public AuthenticationTicket? Unprotect(string? protectedText)
        {
            Calls++;
            Texts.Add(protectedText);
            if (forged)
            {
                return null;
            }

            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("person", "p-1")], "test"));
            return new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = expires }, "bearer");
        }

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose) => Unprotect(protectedText);

        public string Protect(AuthenticationTicket data) => throw new NotSupportedException();

        public string Protect(AuthenticationTicket data, string? purpose) => throw new NotSupportedException();
    }
}
