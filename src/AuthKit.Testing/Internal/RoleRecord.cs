namespace AuthKit.Testing.Internal;

internal sealed class RoleRecord
{
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public string[] Permissions { get; init; } = [];
}
