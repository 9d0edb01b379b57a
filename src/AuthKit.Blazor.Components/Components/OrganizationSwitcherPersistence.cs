using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuthKit.Session;
using Microsoft.AspNetCore.Components;

namespace AuthKit.Blazor.Components;

/// <summary>An organization as <see cref="OrganizationSwitcher"/> renders it: its id and display name.</summary>
internal sealed record SwitcherOrganization(string Id, string Name);

/// <summary>
/// What a prerendered <see cref="OrganizationSwitcher"/> hands to its interactive render: the organizations it
/// rendered and the <see cref="OrganizationSwitcherPersistence.ScopeOf">scope</see> (user, session, current
/// organization) they were loaded for. Nothing else: the value is written into the page.
/// </summary>
internal sealed record PersistedOrganizations(string Scope, IReadOnlyList<SwitcherOrganization> Organizations);

/// <summary>
/// Carries the organization list of <see cref="OrganizationSwitcher"/> from prerendering to the interactive render
/// through <see cref="PersistentComponentState"/>, so WorkOS is asked once per page load instead of twice.
/// </summary>
internal static class OrganizationSwitcherPersistence
{
    /// <summary>The key of the persisted list. One per page: every switcher of a page shows the same user's list.</summary>
    internal const string Key = "AuthKit.Blazor.OrganizationSwitcher";

    private const string ScopeVersion = "authkit-org-switcher/v1";

    // The states a switcher has already written to. A second write under the same key would make the framework drop
    // the page's whole persisted state (antiforgery token included), so with several switchers on a page the first wins.
    private static readonly ConditionalWeakTable<PersistentComponentState, object> Written = new();
    private static readonly object Marker = new();

    /// <summary>
    /// The scope a list belongs to: SHA-256 (hex) of the user id, session id and current organization id. The
    /// interactive render reuses a list only when its own session has the same scope; the hash keeps the session id
    /// itself out of the page.
    /// </summary>
    public static string ScopeOf(AuthResult auth)
    {
        if (!auth.IsAuthenticated)
        {
            throw new ArgumentException("A scope needs a signed-in user.", nameof(auth));
        }

        var text = string.Join('\0', ScopeVersion, auth.User.Id, auth.SessionId, auth.OrganizationId ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Writes <paramref name="value"/> under <see cref="Key"/>; call from an <c>OnPersisting</c> callback.
    /// Returns false (and writes nothing) when another switcher already wrote this page's list.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The persisted value is a JsonElement (built-in converter); the payload itself is written by the source-generated OrganizationSwitcherJsonContext.")]
    public static bool TryPersist(PersistentComponentState state, PersistedOrganizations value)
    {
        if (!Written.TryAdd(state, Marker))
        {
            return false;
        }

        state.PersistAsJson(Key, JsonSerializer.SerializeToElement(value, OrganizationSwitcherJsonContext.Default.PersistedOrganizations));
        return true;
    }

    /// <summary>
    /// Takes (and so removes) the list persisted by prerendering, or null when there is none or it cannot be read.
    /// The caller still has to compare its <see cref="PersistedOrganizations.Scope"/> with the current session.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The persisted value is read as a JsonElement (built-in converter); the payload itself is read by the source-generated OrganizationSwitcherJsonContext.")]
    public static PersistedOrganizations? Take(PersistentComponentState state)
    {
        try
        {
            if (!state.TryTakeFromJson<JsonElement>(Key, out var element))
            {
                return null;
            }

            var value = element.Deserialize(OrganizationSwitcherJsonContext.Default.PersistedOrganizations);
            return value is { Scope.Length: > 0 } && value.Organizations.All(static o => o is { Id.Length: > 0 } && o.Name is not null)
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Source-generated JSON for <see cref="PersistedOrganizations"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(PersistedOrganizations))]
internal sealed partial class OrganizationSwitcherJsonContext : JsonSerializerContext;

/// <summary>Source-generated JSON for the organizations endpoint's answer (<c>[{"id","name"}]</c>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<SwitcherOrganization>))]
internal sealed partial class OrganizationListJsonContext : JsonSerializerContext;
