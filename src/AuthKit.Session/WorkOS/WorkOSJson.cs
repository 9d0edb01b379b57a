using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthKit.Session;

/// <summary>Body of <c>POST /user_management/authenticate</c> (all grants; null members are omitted).</summary>
internal sealed class AuthenticateRequestBody
{
    public required string GrantType { get; init; }
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public string? Code { get; init; }
    public string? CodeVerifier { get; init; }
    public string? RefreshToken { get; init; }
    public string? PendingAuthenticationToken { get; init; }
    public string? AuthenticationChallengeId { get; init; }
    public string? OrganizationId { get; init; }
}

internal sealed class RevokeSessionRequestBody
{
    public required string SessionId { get; init; }
}

internal sealed class ApiKeyValidationRequestBody
{
    public required string Value { get; init; }
}

internal sealed class MembershipListDto
{
    public List<MembershipDto>? Data { get; init; }
}

internal sealed class MembershipDto
{
    public string? Id { get; init; }
    public string? UserId { get; init; }
    public string? OrganizationId { get; init; }
    public string? OrganizationName { get; init; }
    public MembershipRoleDto? Role { get; init; }
    public string? Status { get; init; }
}

internal sealed class MembershipRoleDto
{
    public string? Slug { get; init; }
}

/// <summary>An object with an id and a name (organizations; also read for authentication challenges, by id).</summary>
internal sealed class OrganizationDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

/// <summary>Source-generated snake_case JSON for the WorkOS wire format.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(AuthenticateRequestBody))]
[JsonSerializable(typeof(RevokeSessionRequestBody))]
[JsonSerializable(typeof(ApiKeyValidationRequestBody))]
[JsonSerializable(typeof(MembershipListDto))]
[JsonSerializable(typeof(OrganizationDto))]
internal sealed partial class WorkOSJsonContext : JsonSerializerContext;
