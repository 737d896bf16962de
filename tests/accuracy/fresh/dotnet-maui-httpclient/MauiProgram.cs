using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Postcards.Services;

namespace Postcards;

public static class MauiProgram
{
    public static MauiApp CreateMauiApp()
    {
        var builder = MauiApp.CreateBuilder();
        builder.UseMauiApp<App>();

        builder.Services.AddHttpClient("pictify", client =>
        {
            client.BaseAddress = new Uri("https://api.pictify.io/");
            client.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Bearer", "pk_live_e2imqzKBzC7DAiWkgBzETUoINS5m6DF4");
        });
        builder.Services.AddSingleton<CardService>();

#if DEBUG
        builder.Logging.AddDebug();
#endif
        return builder.Build();
    }
}
