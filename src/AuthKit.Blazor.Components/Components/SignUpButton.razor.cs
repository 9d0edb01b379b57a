namespace AuthKit.Blazor.Components;

/// <summary>
/// A link to the sign-up endpoint (full-page navigation to WorkOS). Returns to the current page by default; optional
/// organization and login hint. Renders <c>&lt;a class="authkit-button authkit-sign-up"&gt;Sign up&lt;/a&gt;</c>.
/// </summary>
public sealed partial class SignUpButton;
