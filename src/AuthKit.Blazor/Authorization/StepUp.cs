using System.Globalization;
using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Blazor;

/// <summary>How a failed <see cref="RecentSignInRequirement"/> reaches a scheme's challenge: an item on the authentication properties.</summary>
internal static class StepUp
{
    public const string MaxAgeItem = "authkit.max_age";

    public static AuthenticationProperties Properties(TimeSpan maxAge)
    {
        var properties = new AuthenticationProperties();
        properties.Items[MaxAgeItem] = ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return properties;
    }

    public static TimeSpan? ReadMaxAge(AuthenticationProperties? properties) =>
        properties is not null && properties.Items.TryGetValue(MaxAgeItem, out var text) &&
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < int.MaxValue
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
