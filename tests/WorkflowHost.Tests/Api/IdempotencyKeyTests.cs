using System.Security.Cryptography;
using System.Text;
using WorkflowHost.Api;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// The stored key is "api-" and the first 48 hex digits of the scope's SHA-256. Keys already stored must still match
/// after the key's computation moved to the stack (issue 18), so it is compared here with the plain way of writing it.
/// </summary>
public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("p-member-li\nPOST /api/instances/7c9e6679-7425-40de-944b-e07fc1f90ae7/steps/ballot/vote\n0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("p-1\nPOST /api/x\nk")]
    [InlineData("人员-王\nPOST /api/实例\n~!")]
    public void The_scoped_key_is_the_plain_hash_of_the_scope(string scope)
    {
        var plain = "api-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)))[..48];

        Assert.Equal(plain, Idempotency.Scoped(scope));
    }

    [Fact]
    public void A_scope_longer_than_the_stack_buffer_hashes_the_same()
    {
        var scope = "p-1\nPOST /api/" + new string('段', 2000) + "\nkey";
        var plain = "api-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)))[..48];

        Assert.Equal(plain, Idempotency.Scoped(scope));
    }
}
