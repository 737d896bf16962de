using System.Net.Http.Json;

namespace Postcards.Services;

public class CardService(IHttpClientFactory factory)
{
    public async Task<string?> RenderAsync(string html)
    {
        var client = factory.CreateClient("pictify");
        var response = await client.PostAsJsonAsync("image", new { html });
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        return body?["url"];
    }
}
