namespace AuthKit.Testing.Tests;

public class EmulatorSeedTests
{
    [Fact]
    public void Demo_seed_has_the_documented_users_organizations_and_roles()
    {
        var seed = EmulatorSeed.Demo;

        Assert.Equal(["alice@example.com", "bob@example.com", "charlie@example.com", "support@example.com"], seed.Users.Select(u => u.Email));
        var acme = seed.Organizations.Single(o => o.Id == "org_acme");
        var globex = seed.Organizations.Single(o => o.Id == "org_globex");
        Assert.Equal("Acme Corp", acme.Name);
        Assert.Equal("Globex", globex.Name);
        Assert.Equal("admin", acme.Memberships.Single(m => m.UserId == "user_alice").Role);
        Assert.Equal("member", globex.Memberships.Single(m => m.UserId == "user_alice").Role);
        Assert.Equal("member", acme.Memberships.Single(m => m.UserId == "user_bob").Role);
        Assert.NotEmpty(acme.Entitlements);
        Assert.NotEmpty(acme.FeatureFlags);
        var admin = seed.Roles.Single(r => r.Slug == "admin");
        Assert.Contains("admin:read", admin.Permissions);
        Assert.Contains("posts:write", admin.Permissions);
        Assert.DoesNotContain(seed.Roles.Single(r => r.Slug == "member").Permissions, p => p.StartsWith("admin:", StringComparison.Ordinal));
        var charlie = seed.Users.Single(u => u.Id == "user_charlie");
        Assert.Equal("support@example.com", charlie.Impersonator!.Email);
        Assert.False(string.IsNullOrEmpty(charlie.Impersonator.Reason));
    }

    [Fact]
    public void Demo_returns_an_independent_copy_each_time()
    {
        var first = EmulatorSeed.Demo;
        first.Users.Clear();

        Assert.Equal(4, EmulatorSeed.Demo.Users.Count);
    }

    [Fact]
    public void FromJson_reads_users_organizations_roles_and_flags()
    {
        const string json = """
            {
              // comments are allowed
              "users": [
                { "id": "user_1", "email": "one@test.dev", "first_name": "One", "password": "pw-one-123",
                  "feature_flags": ["beta"], "impersonator": { "email": "admin@test.dev", "reason": "help" } },
                { "id": "user_2", "email": "two@test.dev", "email_verified": false }
              ],
              "organizations": [
                { "id": "org_1", "name": "Org One", "entitlements": ["e1"], "feature_flags": ["f1"],
                  "memberships": [ { "user_id": "user_1", "role": "owner" }, { "user_id": "user_2", "status": "inactive" } ] }
              ],
              "roles": [ { "slug": "owner", "permissions": ["everything"] }, { "slug": "member" } ]
            }
            """;

        var seed = EmulatorSeed.FromJson(json);

        var one = seed.Users[0];
        Assert.Equal("One", one.FirstName);
        Assert.Equal("pw-one-123", one.Password);
        Assert.Equal(["beta"], one.FeatureFlags);
        Assert.Equal("admin@test.dev", one.Impersonator!.Email);
        Assert.False(seed.Users[1].EmailVerified);
        Assert.Equal("owner", seed.Organizations[0].Memberships[0].Role);
        Assert.Equal("member", seed.Organizations[0].Memberships[1].Role);
        Assert.Equal("inactive", seed.Organizations[0].Memberships[1].Status);
        Assert.Equal(["everything"], seed.Roles[0].Permissions);
    }

    [Fact]
    public void FromJson_lists_every_inconsistency_at_once()
    {
        const string json = """
            {
              "users": [ { "id": "u", "email": "a@x.dev" }, { "id": "u", "email": "A@x.dev" } ],
              "organizations": [ { "id": "o", "name": "O", "memberships": [ { "user_id": "ghost", "role": "nope" } ] } ],
              "roles": []
            }
            """;

        var ex = Assert.Throws<ArgumentException>(() => EmulatorSeed.FromJson(json));

        Assert.Contains("User id 'u' is used twice", ex.Message);
        Assert.Contains("Email 'A@x.dev' is used twice", ex.Message);
        Assert.Contains("unknown user 'ghost'", ex.Message);
        Assert.Contains("unknown role 'nope'", ex.Message);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "users": [], "unexpected": 1 }""")]
    [InlineData("null")]
    public void FromJson_rejects_malformed_documents(string json)
    {
        Assert.Throws<ArgumentException>(() => EmulatorSeed.FromJson(json));
    }

    [Fact]
    public async Task A_json_seed_drives_the_emulator()
    {
        var seed = EmulatorSeed.FromJson("""
            { "users": [ { "id": "user_z", "email": "z@test.dev" } ],
              "organizations": [ { "id": "org_z", "name": "Zed", "entitlements": ["zz"], "memberships": [ { "user_id": "user_z", "role": "boss" } ] } ],
              "roles": [ { "slug": "boss", "permissions": ["all:do"] } ] }
            """);
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { Seed = seed });

        var signIn = emulator.SignIn("z@test.dev");

        var claims = TestSupport.Claims(signIn.AccessToken);
        Assert.Equal("user_z", claims.GetProperty("sub").GetString());
        Assert.Equal("org_z", claims.GetProperty("org_id").GetString());
        Assert.Equal("boss", claims.GetProperty("role").GetString());
        Assert.Equal(["all:do"], TestSupport.Strings(claims.GetProperty("permissions")));
        Assert.Equal(["zz"], TestSupport.Strings(claims.GetProperty("entitlements")));
    }
}
