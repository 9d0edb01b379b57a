namespace AuthKit.Blazor.Components;

/// <summary>
/// A sign-out button: a real <c>&lt;form method="post"&gt;</c> to the sign-out endpoint with an antiforgery token, so it
/// works on static and interactive pages alike. Optional <c>returnTo</c>.
/// </summary>
public sealed partial class SignOutButton;
