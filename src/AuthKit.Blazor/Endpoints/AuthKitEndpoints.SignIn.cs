using Microsoft.AspNetCore.Http;

namespace AuthKit.Blazor;

internal static partial class AuthKitEndpoints
{
    public static Task<IResult> SignInAsync(HttpContext context) => Task.FromResult<IResult>(TypedResults.StatusCode(StatusCodes.Status501NotImplemented));

    public static Task<IResult> SignUpAsync(HttpContext context) => Task.FromResult<IResult>(TypedResults.StatusCode(StatusCodes.Status501NotImplemented));

    public static Task<IResult> CallbackAsync(HttpContext context) => Task.FromResult<IResult>(TypedResults.StatusCode(StatusCodes.Status501NotImplemented));
}
