using AuthKitBlazorApp.Components;

var builder = WebApplication.CreateBuilder(args);

#if (emulator)
// Development without WorkOS settings: the built-in WorkOS emulator with demo users (no WorkOS account needed).
await using var emulator = await AuthKitBlazorApp.DevelopmentEmulator.StartIfNeededAsync(builder);

#endif
#if (UseServer && UseWebAssembly)
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents();
#elif (UseWebAssembly)
builder.Services.AddRazorComponents()
    .AddInteractiveWebAssemblyComponents();
#else
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
#endif

#if (UseWebAssembly)
// WorkOS AuthKit: settings from the "AuthKit" configuration section and the WORKOS_* environment variables.
// AddWebAssemblySupport hands the signed-in user to WebAssembly components with the page (never a token) and answers
// their session checks.
builder.Services.AddAuthKit()
    .AddWebAssemblySupport();
#else
// WorkOS AuthKit: settings from the "AuthKit" configuration section and the WORKOS_* environment variables.
builder.Services.AddAuthKit();
#endif

var app = builder.Build();

#if (emulator)
if (emulator is not null)
{
    app.Logger.LogWarning(
        "No WorkOS client id configured: using the built-in WorkOS emulator at {EmulatorUri}. Sign in as alice@example.com, bob@example.com or charlie@example.com. Set WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_REDIRECT_URI and WORKOS_COOKIE_PASSWORD to use WorkOS.",
        emulator.BaseUri);
}

#endif
#if (UseWebAssembly)
if (app.Environment.IsDevelopment())
{
    app.UseWebAssemblyDebugging();
}
else
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
#else
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
#endif

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAuthKit();
#if (UseServer && UseWebAssembly)
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(AuthKitBlazorApp.Client._Imports).Assembly);
#elif (UseWebAssembly)
app.MapRazorComponents<App>()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(AuthKitBlazorApp.Client._Imports).Assembly);
#else
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();
#endif

app.Run();
