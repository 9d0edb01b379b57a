using System.Text.Json;
using System.Text.Json.Serialization;
using AuthKit.Session;

namespace AuthKit.Testing;

/// <summary>
/// The data a <see cref="WorkOSEmulator"/> starts with: users, organizations (with memberships, entitlements and feature flags)
/// and roles (with permissions). Build it in code, load it with <see cref="FromJson"/>, or use <see cref="Demo"/>.
/// The emulator copies the seed at start; later changes to this object have no effect.
/// </summary>
public sealed class EmulatorSeed
{
    /// <summary>The users.</summary>
    public IList<EmulatorUser> Users { get; set; } = [];

    /// <summary>The organizations, each with its memberships.</summary>
    public IList<EmulatorOrganization> Organizations { get; set; } = [];

    /// <summary>The roles memberships refer to by slug.</summary>
    public IList<EmulatorRole> Roles { get; set; } = [];

    /// <summary>WorkOS API keys (<c>api_keys</c> in JSON) that <c>POST /api_keys/validations</c> accepts. Default none.</summary>
    public IList<EmulatorApiKey> ApiKeys { get; set; } = [];

    /// <summary>
    /// A new copy of the demo data:
    /// <list type="bullet">
    /// <item><c>alice@example.com</c> (<c>user_alice</c>): <c>admin</c> of "Acme Corp" (<c>org_acme</c>) and <c>member</c> of "Globex" (<c>org_globex</c>).</item>
    /// <item><c>bob@example.com</c> (<c>user_bob</c>): <c>member</c> of Acme.</item>
    /// <item><c>charlie@example.com</c> (<c>user_charlie</c>): <c>member</c> of Acme, always impersonated by <c>support@example.com</c>.</item>
    /// <item><c>support@example.com</c> (<c>user_support</c>): no memberships.</item>
    /// <item>Roles: <c>admin</c> (<c>admin:read</c>, <c>admin:write</c>, <c>posts:read</c>, <c>posts:write</c>, <c>members:manage</c>), <c>member</c> (<c>posts:read</c>).</item>
    /// <item>Acme: entitlements <c>audit-logs</c>, <c>sso</c>; feature flag <c>new-dashboard</c>. Globex: none.</item>
    /// <item>API keys: <c>sk_test_demo_acme_reader</c> (Acme, <c>posts:read</c>), <c>sk_test_demo_acme_admin</c> (Acme,
    /// <c>posts:read</c>, <c>posts:write</c>, <c>admin:read</c>) and <c>sk_test_demo_alice</c> (owned by alice in Acme, <c>posts:read</c>).</item>
    /// </list>
    /// Every demo user's password is <c>password</c>.
    /// </summary>
    public static EmulatorSeed Demo => new()
    {
        Roles =
        [
            new() { Slug = "admin", Name = "Admin", Permissions = ["admin:read", "admin:write", "posts:read", "posts:write", "members:manage"] },
            new() { Slug = "member", Name = "Member", Permissions = ["posts:read"] },
        ],
        Users =
        [
            new() { Id = "user_alice", Email = "alice@example.com", FirstName = "Alice", LastName = "Anderson", Password = "password" },
            new() { Id = "user_bob", Email = "bob@example.com", FirstName = "Bob", LastName = "Brown", Password = "password" },
            new()
            {
                Id = "user_charlie", Email = "charlie@example.com", FirstName = "Charlie", LastName = "Clark", Password = "password",
                Impersonator = new Impersonator { Email = "support@example.com", Reason = "Investigating support ticket #1234" },
            },
            new() { Id = "user_support", Email = "support@example.com", FirstName = "Sam", LastName = "Support", Password = "password" },
        ],
        Organizations =
        [
            new()
            {
                Id = "org_acme", Name = "Acme Corp", Entitlements = ["audit-logs", "sso"], FeatureFlags = ["new-dashboard"],
                Memberships =
                [
                    new() { Id = "om_alice_acme", UserId = "user_alice", Role = "admin" },
                    new() { Id = "om_bob_acme", UserId = "user_bob", Role = "member" },
                    new() { Id = "om_charlie_acme", UserId = "user_charlie", Role = "member" },
                ],
            },
            new()
            {
                Id = "org_globex", Name = "Globex",
                Memberships = [new() { Id = "om_alice_globex", UserId = "user_alice", Role = "member" }],
            },
        ],
        ApiKeys =
        [
            new() { Id = "api_key_demo_acme_reader", Name = "Acme read-only key", Value = "sk_test_demo_acme_reader", OrganizationId = "org_acme", Permissions = ["posts:read"] },
            new() { Id = "api_key_demo_acme_admin", Name = "Acme admin key", Value = "sk_test_demo_acme_admin", OrganizationId = "org_acme", Permissions = ["posts:read", "posts:write", "admin:read"] },
            new() { Id = "api_key_demo_alice", Name = "Alice's key", Value = "sk_test_demo_alice", OrganizationId = "org_acme", UserId = "user_alice", Permissions = ["posts:read"] },
        ],
    };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// Reads a seed from JSON (snake_case members: <c>users</c>, <c>organizations</c>, <c>roles</c>; see docs/emulator.md)
    /// and checks it (unique ids and emails, memberships naming known users and roles).
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The seed.</returns>
    /// <exception cref="ArgumentException">The JSON is malformed, has unknown members, or describes inconsistent data.</exception>
    public static EmulatorSeed FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        EmulatorSeed? seed;
        try
        {
            seed = JsonSerializer.Deserialize<EmulatorSeed>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The emulator seed JSON is invalid: {ex.Message}", nameof(json), ex);
        }

        if (seed is null)
        {
            throw new ArgumentException("The emulator seed JSON is null.", nameof(json));
        }

        seed.Validate();
        return seed;
    }

    /// <summary>Checks the seed and throws one <see cref="ArgumentException"/> listing every problem.</summary>
    internal void Validate()
    {
        var problems = new List<string>();
        var userIds = new HashSet<string>(StringComparer.Ordinal);
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in Users)
        {
            if (string.IsNullOrWhiteSpace(user.Id)) problems.Add("A user has no id.");
            else if (!userIds.Add(user.Id)) problems.Add($"User id '{user.Id}' is used twice.");
            if (string.IsNullOrWhiteSpace(user.Email) || !user.Email.Contains('@')) problems.Add($"User '{user.Id}' has no valid email.");
            else if (!emails.Add(user.Email)) problems.Add($"Email '{user.Email}' is used twice.");
            if (user.Impersonator is { } imp && string.IsNullOrWhiteSpace(imp.Email)) problems.Add($"User '{user.Id}' has an impersonator without an email.");
            if (user.TotpSecret is not null && !EmulatorTotp.IsValidSecret(user.TotpSecret)) problems.Add($"User '{user.Id}' has a TOTP secret that is not base32 of at least 10 bytes.");
        }

        var roleSlugs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in Roles)
        {
            if (string.IsNullOrWhiteSpace(role.Slug)) problems.Add("A role has no slug.");
            else if (!roleSlugs.Add(role.Slug)) problems.Add($"Role '{role.Slug}' is defined twice.");
        }

        var orgIds = new HashSet<string>(StringComparer.Ordinal);
        var membershipIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var org in Organizations)
        {
            if (string.IsNullOrWhiteSpace(org.Id)) problems.Add("An organization has no id.");
            else if (!orgIds.Add(org.Id)) problems.Add($"Organization id '{org.Id}' is used twice.");
            if (string.IsNullOrWhiteSpace(org.Name)) problems.Add($"Organization '{org.Id}' has no name.");
            var members = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in org.Memberships)
            {
                if (!userIds.Contains(m.UserId)) problems.Add($"Organization '{org.Id}' has a membership for unknown user '{m.UserId}'.");
                else if (!members.Add(m.UserId)) problems.Add($"User '{m.UserId}' has two memberships in organization '{org.Id}'.");
                if (!roleSlugs.Contains(m.Role)) problems.Add($"Membership of '{m.UserId}' in '{org.Id}' names unknown role '{m.Role}'.");
                if (m.Status is not ("active" or "inactive" or "pending")) problems.Add($"Membership of '{m.UserId}' in '{org.Id}' has status '{m.Status}' (expected active, inactive or pending).");
                if (m.Id is { } id && !membershipIds.Add(id)) problems.Add($"Membership id '{id}' is used twice.");
            }
        }

        ValidateApiKeys(problems, userIds, orgIds);
        if (problems.Count > 0)
        {
            throw new ArgumentException("The emulator seed is invalid: " + string.Join(" ", problems));
        }
    }

    private void ValidateApiKeys(List<string> problems, HashSet<string> userIds, HashSet<string> orgIds)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in ApiKeys)
        {
            var label = key.Id ?? key.Name;
            if (string.IsNullOrWhiteSpace(key.Name)) problems.Add("An API key has no name.");
            if (key.Id is { } id && !ids.Add(id)) problems.Add($"API key id '{id}' is used twice.");
            if (key.Value is { } value)
            {
                if (!value.StartsWith("sk_", StringComparison.Ordinal) || value.Length < 8) problems.Add($"API key '{label}' has a value that does not start with 'sk_' (or is shorter than 8 characters).");
                else if (!values.Add(value)) problems.Add($"API key '{label}' reuses another key's value.");
            }

            if (!orgIds.Contains(key.OrganizationId)) problems.Add($"API key '{label}' names unknown organization '{key.OrganizationId}'.");
            if (key.UserId is { } userId)
            {
                if (!userIds.Contains(userId)) problems.Add($"API key '{label}' names unknown user '{userId}'.");
                else if (!Organizations.Any(o => o.Id == key.OrganizationId && o.Memberships.Any(m => m.UserId == userId && m.Status == "active")))
                    problems.Add($"API key '{label}' is owned by '{userId}', who has no active membership in '{key.OrganizationId}'.");
            }
        }
    }
}

/// <summary>A seeded user.</summary>
public sealed class EmulatorUser
{
    /// <summary>User id, e.g. <c>user_alice</c>. Required.</summary>
    public string Id { get; set; } = "";
    /// <summary>Email address (unique, case-insensitive). Required.</summary>
    public string Email { get; set; } = "";
    /// <summary>First name. Default none.</summary>
    public string? FirstName { get; set; }
    /// <summary>Last name. Default none.</summary>
    public string? LastName { get; set; }
    /// <summary>Password for the sign-in page's email + password form. Default none (the form rejects this user; the user button still works).</summary>
    public string? Password { get; set; }
    /// <summary>
    /// Whether the email is verified. Default <see langword="true"/>. When <see langword="false"/>, the code exchange answers
    /// 403 <c>email_verification_required</c> (a pending authentication token and an <c>email_verification_id</c>) and the
    /// email-verification grant completes it with the code (read it with <see cref="WorkOSEmulator.GetEmailVerificationCode"/>).
    /// </summary>
    public bool EmailVerified { get; set; } = true;
    /// <summary>
    /// A TOTP secret in base32 (at least 10 bytes): the user has an enrolled TOTP factor and the code exchange answers
    /// 403 <c>mfa_challenge</c>; the <c>mfa-totp</c> grant completes it with <see cref="EmulatorTotp.ComputeCode(string, DateTimeOffset)"/>. Default none.
    /// </summary>
    public string? TotpSecret { get; set; }
    /// <summary>
    /// When <see langword="true"/>, the sign-in page never asks this user for an organization: with several active memberships
    /// and no <c>organization_id</c> in the request, the code exchange answers 403 <c>organization_selection_required</c>,
    /// as WorkOS's API does, and the application chooses. Default <see langword="false"/> (the page asks).
    /// </summary>
    public bool PicksOrganizationInApplication { get; set; }
    /// <summary>Profile picture URL. Default none.</summary>
    public string? ProfilePictureUrl { get; set; }
    /// <summary>External id. Default none.</summary>
    public string? ExternalId { get; set; }
    /// <summary>Locale. Default none.</summary>
    public string? Locale { get; set; }
    /// <summary>Metadata object sent as <c>metadata</c>. Default empty.</summary>
    public IDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>();
    /// <summary>When set, every session of this user is an impersonation by this admin (<c>act</c> claim, <c>impersonator</c> in responses). Default none.</summary>
    public Impersonator? Impersonator { get; set; }
    /// <summary>Feature flags of this user, added to the organization's in the <c>feature_flags</c> claim. Default empty.</summary>
    public IList<string> FeatureFlags { get; set; } = [];
}

/// <summary>A seeded organization.</summary>
public sealed class EmulatorOrganization
{
    /// <summary>Organization id, e.g. <c>org_acme</c>. Required.</summary>
    public string Id { get; set; } = "";
    /// <summary>Display name. Required.</summary>
    public string Name { get; set; } = "";
    /// <summary>Entitlements put into the <c>entitlements</c> claim of sessions scoped to this organization. Default empty.</summary>
    public IList<string> Entitlements { get; set; } = [];
    /// <summary>Feature flags put into the <c>feature_flags</c> claim of sessions scoped to this organization. Default empty.</summary>
    public IList<string> FeatureFlags { get; set; } = [];
    /// <summary>The users' memberships in this organization. Default empty.</summary>
    public IList<EmulatorMembership> Memberships { get; set; } = [];
}

/// <summary>A user's membership in an organization.</summary>
public sealed class EmulatorMembership
{
    /// <summary>Membership id. Default: generated (<c>om_...</c>).</summary>
    public string? Id { get; set; }
    /// <summary>The member's user id. Required.</summary>
    public string UserId { get; set; } = "";
    /// <summary>Role slug (must be one of <see cref="EmulatorSeed.Roles"/>). Default <c>member</c>.</summary>
    public string Role { get; set; } = "member";
    /// <summary><c>active</c>, <c>inactive</c> or <c>pending</c>. Only active memberships can be signed into. Default <c>active</c>.</summary>
    public string Status { get; set; } = "active";
}

/// <summary>A role and its permissions.</summary>
public sealed class EmulatorRole
{
    /// <summary>Role slug, e.g. <c>admin</c>. Required.</summary>
    public string Slug { get; set; } = "";
    /// <summary>Display name. Default: the slug.</summary>
    public string? Name { get; set; }
    /// <summary>Permissions put into the <c>permissions</c> claim. Default empty.</summary>
    public IList<string> Permissions { get; set; } = [];
}
