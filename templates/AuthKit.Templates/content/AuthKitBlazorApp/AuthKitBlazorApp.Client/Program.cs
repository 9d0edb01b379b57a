using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);

// WorkOS AuthKit in the browser: the signed-in user the server handed over with the page (never a token), kept
// current by asking the server's session endpoint every 30 s and whenever the tab becomes visible again.
builder.Services.AddAuthKitWebAssembly();

await builder.Build().RunAsync();
