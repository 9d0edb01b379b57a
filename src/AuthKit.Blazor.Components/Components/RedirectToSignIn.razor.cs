namespace AuthKit.Blazor.Components;

/// <summary>
/// For <c>NotAuthorized</c> of <c>AuthorizeRouteView</c>: sends signed-out visitors to sign-in (full-page navigation,
/// returning to the current page afterwards); shows an access-denied message to signed-in users who lack access.
/// </summary>
public sealed partial class RedirectToSignIn;
