namespace AuthKit.Blazor;

/// <summary>Claim types of the principal AuthKit builds.</summary>
public static class AuthKitClaimTypes
{
    /// <summary>User id: <c>sub</c>.</summary>
    public const string Subject = "sub";
    /// <summary>WorkOS session id: <c>sid</c>.</summary>
    public const string SessionId = "sid";
    /// <summary>Email: <c>email</c>.</summary>
    public const string Email = "email";
    /// <summary>Display name (name, else first + last name, else email): <c>name</c>. The identity's name claim type.</summary>
    public const string Name = "name";
    /// <summary>Given name: <c>given_name</c>.</summary>
    public const string GivenName = "given_name";
    /// <summary>Family name: <c>family_name</c>.</summary>
    public const string FamilyName = "family_name";
    /// <summary>Organization id: <c>org_id</c>.</summary>
    public const string OrganizationId = "org_id";
    /// <summary>Role (one claim per role from <c>role</c> and <c>roles</c>): <c>role</c>. The identity's role claim type.</summary>
    public const string Role = "role";
    /// <summary>Permission, one claim each: <c>permission</c>.</summary>
    public const string Permission = "permission";
    /// <summary>Entitlement, one claim each: <c>entitlement</c>.</summary>
    public const string Entitlement = "entitlement";
    /// <summary>Feature flag, one claim each: <c>feature_flag</c>.</summary>
    public const string FeatureFlag = "feature_flag";
    /// <summary>Email of the impersonating admin: <c>impersonator</c>.</summary>
    public const string Impersonator = "impersonator";
    /// <summary>Reason given for impersonation: <c>impersonator_reason</c>.</summary>
    public const string ImpersonatorReason = "impersonator_reason";
    /// <summary>When the user last actively signed in (the access token's <c>auth_time</c>), Unix seconds: <c>auth_time</c>.</summary>
    public const string AuthTime = "auth_time";
    /// <summary>The WorkOS API key's id (API-key scheme): <c>api_key_id</c>.</summary>
    public const string ApiKeyId = "api_key_id";
    /// <summary>The WorkOS API key's name (API-key scheme): <c>api_key_name</c>.</summary>
    public const string ApiKeyName = "api_key_name";
    /// <summary>The WorkOS API key's owner type, <c>organization</c> or <c>user</c> (API-key scheme): <c>api_key_owner_type</c>.</summary>
    public const string ApiKeyOwnerType = "api_key_owner_type";
}
