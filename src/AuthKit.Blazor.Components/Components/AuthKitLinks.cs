using AuthKit.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using System.Text;
using System.Text.Encodings.Web;

namespace AuthKit.Blazor.Components;

/// <summary>URL helpers shared by the components: endpoint paths under the app's base path and the current page.</summary>
internal static class AuthKitLinks
{
    /// <summary>
    /// The endpoint <paramref name="path"/> (for example <c>/auth/sign-in</c>) under the app's base path
    /// (<c>&lt;base href&gt;</c>), as an absolute path: <c>/auth/sign-in</c>, or <c>/app/auth/sign-in</c> under <c>/app/</c>.
    /// </summary>
    public static string Endpoint(NavigationManager navigation, string path)
    {
        var basePath = new Uri(navigation.BaseUri).AbsolutePath.TrimEnd('/');
        return basePath + "/" + path.TrimStart('/');
    }

    /// <summary>The current page as an absolute path with query (no scheme, host or fragment), e.g. <c>/account?tab=2</c>.</summary>
    public static string CurrentPath(NavigationManager navigation) => new Uri(navigation.Uri).PathAndQuery;

    /// <summary>Appends the non-empty query values to <paramref name="path"/>.</summary>
    public static string WithQuery(string path, params ReadOnlySpan<(string Name, string? Value)> query)
    {
        // As ASP.NET Core's QueryHelpers.AddQueryString (which WebAssembly lacks): before any fragment, UrlEncoder-encoded.
        var fragmentStart = path.IndexOf('#', StringComparison.Ordinal);
        var (target, fragment) = fragmentStart < 0 ? (path, string.Empty) : (path[..fragmentStart], path[fragmentStart..]);
        var builder = new StringBuilder(target);
        var hasQuery = target.Contains('?', StringComparison.Ordinal);
        foreach (var (name, value) in query)
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder.Append(hasQuery ? '&' : '?').Append(UrlEncoder.Default.Encode(name)).Append('=').Append(UrlEncoder.Default.Encode(value));
                hasQuery = true;
            }
        }

        return builder.Append(fragment).ToString();
    }

    /// <summary>The further authorization options the buttons pass to the endpoints (checked there).</summary>
    public sealed record SignInOptions(string? Provider, string? ConnectionId, string? DomainHint, string? InvitationToken, string? Prompt, TimeSpan? MaxAge, string? State, string? RedirectUri);

    /// <summary>The sign-in (or sign-up) URL with its query parameters.</summary>
    public static string SignIn(NavigationManager navigation, string endpointPath, string? returnPathname, string? organizationId, string? loginHint, SignInOptions? more = null) =>
        WithQuery(
            Endpoint(navigation, endpointPath),
            ("returnPathname", returnPathname ?? CurrentPath(navigation)),
            ("organizationId", organizationId),
            ("loginHint", loginHint),
            ("provider", more?.Provider),
            ("connectionId", more?.ConnectionId),
            ("domainHint", more?.DomainHint),
            ("invitationToken", more?.InvitationToken),
            ("prompt", more?.Prompt),
            ("maxAge", more?.MaxAge is { } maxAge ? ((long)maxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
            ("state", more?.State),
            ("redirectUri", more?.RedirectUri));

    /// <summary>Joins a fixed CSS class with the user's extra classes.</summary>
    public static string Css(string fixedClasses, string? extra) =>
        string.IsNullOrWhiteSpace(extra) ? fixedClasses : fixedClasses + " " + extra.Trim();

    /// <summary>The <see cref="AuthResult"/> of a cascaded authentication state, anonymous when there is none.</summary>
    public static async Task<AuthResult> GetAuthAsync(Task<AuthenticationState>? state)
    {
        if (state is null)
        {
            return AuthResult.Anonymous;
        }

        return (await state.ConfigureAwait(true)).GetAuthResult();
    }
}
