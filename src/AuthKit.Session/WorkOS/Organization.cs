namespace AuthKit.Session;

/// <summary>An organization.</summary>
public sealed record Organization
{
    /// <summary>Organization id.</summary>
    public required string Id { get; init; }
    /// <summary>Name.</summary>
    public required string Name { get; init; }
}
