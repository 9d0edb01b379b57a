namespace AuthKit.Blazor.Components;

/// <summary>
/// A banner shown only while the session is impersonated: who is signed in, who impersonates them and why, and a
/// stop action (signing out of the impersonated session). Renders nothing otherwise.
/// </summary>
public sealed partial class ImpersonationBanner;
