using AuthKitBlazorApp.Components;

var builder = WebApplication.CreateBuilder(args);

#if (emulator)
// Development without WorkOS settings: the built-in WorkOS emulator with demo users (no WorkOS account needed).
await using var emulator = await AuthKitBlazorApp.DevelopmentEmulator.StartIfNeededAsync(builder);

#endif
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

// WorkOS AuthKit: settings from the "AuthKit" configuration section and the WORKOS_* environment variables.
builder.Services.AddAuthKit();

var app = builder.Build();

#if (emulator)
if (emulator is not null)
{
    app.Logger.LogWarning(
        "No WorkOS client id configured: using the built-in WorkOS emulator at {EmulatorUri}. Sign in as alice@example.com, bob@example.com or charlie@example.com. Set WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_REDIRECT_URI and WORKOS_COOKIE_PASSWORD to use WorkOS.",
        emulator.BaseUri);
}

#endif
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAuthKit();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
