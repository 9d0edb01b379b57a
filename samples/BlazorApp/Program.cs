using BlazorApp;
using BlazorApp.Api;
using BlazorApp.Components;

var builder = WebApplication.CreateBuilder(args);

// Dev mode: no WorkOS settings + Development => the built-in WorkOS emulator with demo users.
await using var emulator = await DevelopmentEmulator.StartIfNeededAsync(builder);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

// WorkOS AuthKit: the "AuthKit" configuration section plus the WORKOS_* environment variables.
builder.Services.AddAuthKit();

// The sample's own APIs: /api/me accepts WorkOS access tokens as bearer tokens (AddAuthKitBearer; pages call it through an
// HttpClient whose handler attaches the current user's access token), /api/posts accepts WorkOS API keys (AddAuthKitApiKey).
builder.Services.AddMeApi();
builder.Services.AddHttpClient<MeApiClient>().AddAuthKitAccessToken();

var app = builder.Build();

// Invalid settings (e.g. no WorkOS settings outside Development) stop here: the validation message on stderr, exit code 1.
if (!StartupValidation.TryValidate(app.Services, Console.Error))
{
    return StartupValidation.ExitCode;
}

if (emulator is not null)
{
    var devLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BlazorApp.DevMode");
    DevelopmentEmulator.LogUsingEmulator(devLogger, emulator.BaseUri);
    // A seeded demo key (EmulatorSeed.Demo), not a secret: the machine API /api/posts accepts it.
    DevelopmentEmulator.LogDemoApiKey(devLogger, "sk_test_demo_acme_reader", new Uri(new Uri(app.Configuration["AuthKit:RedirectUri"]!), "/").ToString());
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}

// 403 (signed in, not allowed) and 404 render the app's own pages; /api keeps its bare status codes.
app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAuthKit();
app.MapMeApi();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
return 0;
