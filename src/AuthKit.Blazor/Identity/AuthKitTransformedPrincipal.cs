using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Blazor;

/// <summary>AuthKit's principal passed through the app's claims transformation (server only).</summary>
internal static class AuthKitTransformedPrincipal
{
    /// <summary>
    /// The principal for an authenticated result passed through the app's <paramref name="transformation"/> (none: as
    /// is), as ASP.NET Core's authentication service does after a successful authentication. A transformation cannot be
    /// cancelled: <paramref name="cancellationToken"/> stops the wait. Throws when the transformation returns null.
    /// </summary>
    public static async Task<ClaimsPrincipal> CreateAsync(AuthResult auth, IClaimsTransformation? transformation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var principal = AuthKitIdentity.CreatePrincipal(auth);
        if (transformation is null)
        {
            return principal;
        }

        var transformed = await transformation.TransformAsync(principal).WaitAsync(cancellationToken).ConfigureAwait(false);
        return transformed ?? throw new InvalidOperationException(
            $"The claims transformation {transformation.GetType().FullName} returned null; return the principal it was given (or a new one).");
    }
}
