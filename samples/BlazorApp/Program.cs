using BlazorApp;
using BlazorApp.Api;
using BlazorApp.Components;

var builder = WebApplication.CreateBuilder(args);

// Dev mode: no WorkOS settings + Development => the built-in WorkOS emulator with demo users.
await using var emulator = await DevelopmentEmulator.StartIfNeededAsync(builder);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

// WorkOS AuthKit: the "AuthKit" configuration section plus the WORKOS_* environment variables.
var authKit = builder.Services.AddAuthKit();

// Several servers (docs/deployment.md): with ConnectionStrings:Redis (ConnectionStrings__Redis) set, the refresh lease,
// rotations and sign-outs are shared through Redis, and so is the data-protection key ring (antiforgery tokens rendered
// by one server validate on every other).
if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
{
    authKit.UseRedis(o =>
    {
        o.Configuration = redis;
        o.DataProtectionApplicationName = "AuthKit.BlazorApp";
    });
}

// The sample's own API accepts WorkOS access tokens as bearer tokens; pages call it through an
// HttpClient whose handler attaches the current user's access token.
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
    DevelopmentEmulator.LogUsingEmulator(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BlazorApp.DevMode"), emulator.BaseUri);
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
