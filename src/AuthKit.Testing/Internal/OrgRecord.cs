namespace AuthKit.Testing.Internal;

internal sealed class OrgRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string[] Entitlements { get; init; } = [];
    public string[] FeatureFlags { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}
