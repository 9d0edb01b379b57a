using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace AuthKit.Benchmarks.Fixtures;

/// <summary>
/// ASP.NET Core cookie authentication's per-request work: <see cref="TicketDataFormat.Unprotect(string?)"/> of a ticket
/// holding the same user, claims and tokens as the AuthKit session (ephemeral data protection, the cookie handler's purposes).
/// </summary>
public sealed class TicketBaseline
{
    public const string Scheme = "Cookies";

    private TicketBaseline(TicketDataFormat format, string protectedTicket)
    {
        Format = format;
        ProtectedTicket = protectedTicket;
    }

    public TicketDataFormat Format { get; }

    /// <summary>The cookie value cookie auth would write (before chunking).</summary>
    public string ProtectedTicket { get; }

    public static TicketBaseline Create(AuthKit.Session.Session session)
    {
        var provider = new EphemeralDataProtectionProvider();
        var protector = provider.CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", Scheme, "v2");
        var format = new TicketDataFormat(protector);
        return new TicketBaseline(format, format.Protect(CreateTicket(session)));
    }

    /// <summary>The principal AuthKit exposes, as a cookie-auth ticket with the tokens saved in its properties.</summary>
    public static AuthenticationTicket CreateTicket(AuthKit.Session.Session session, string scheme = Scheme)
    {
        var claims = AccessTokens.ParseUnverified(session.AccessToken);
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim("sub", claims.Subject ?? session.User.Id));
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, session.User.Id));
        identity.AddClaim(new Claim("sid", claims.SessionId ?? string.Empty));
        identity.AddClaim(new Claim(ClaimTypes.Email, session.User.Email));
        identity.AddClaim(new Claim(ClaimTypes.Name, $"{session.User.FirstName} {session.User.LastName}"));
        identity.AddClaim(new Claim("org_id", claims.OrganizationId ?? string.Empty));
        foreach (var role in claims.Roles) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        foreach (var permission in claims.Permissions) identity.AddClaim(new Claim("permissions", permission));
        foreach (var entitlement in claims.Entitlements) identity.AddClaim(new Claim("entitlements", entitlement));
        foreach (var flag in claims.FeatureFlags) identity.AddClaim(new Claim("feature_flags", flag));
        var properties = new AuthenticationProperties { IsPersistent = true, IssuedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddDays(14) };
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = "access_token", Value = session.AccessToken },
            new AuthenticationToken { Name = "refresh_token", Value = session.RefreshToken },
        ]);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), properties, scheme);
    }
}
