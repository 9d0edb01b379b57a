// Placeholder: the sample arrives with the AuthKit.Blazor issue.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "AuthKit.Blazor sample: arrives with the Blazor issue.");
app.Run();
