using System.Net.Http.Headers;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddHttpClient("pictify", client =>
{
    client.BaseAddress = new Uri("https://api.pictify.io/");
    client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    client.DefaultRequestHeaders.Authorization =
        new AuthenticationHeaderValue("Bearer", "d700c5f8035a460e5f6d082c18495a7e71b467645835009c06bc29e5e58b9d70");
});

var app = builder.Build();
app.MapGet("/card", async (IHttpClientFactory f) =>
    await f.CreateClient("pictify").PostAsJsonAsync("image", new { html = "<h1>Hi</h1>" }));
app.Run();
