using System;
using System.Collections;
using System.Text;
using UnityEngine;
using UnityEngine.Networking;

public class ShareCardRenderer : MonoBehaviour
{
    private const string Endpoint = "https://api.pictify.io/image";
    private const string ApiKey = "pk_live_AeiudWQymTjb4N86qaahYHu2nrcyVjLt";

    [Serializable]
    private class RenderRequest { public string html; }

    public IEnumerator Render(string html, Action<string> done)
    {
        var body = Encoding.UTF8.GetBytes(JsonUtility.ToJson(new RenderRequest { html = html }));
        using var req = new UnityWebRequest(Endpoint, "POST");
        req.uploadHandler = new UploadHandlerRaw(body);
        req.downloadHandler = new DownloadHandlerBuffer();
        req.SetRequestHeader("Content-Type", "application/json");
        req.SetRequestHeader("Authorization", "Bearer " + ApiKey);
        yield return req.SendWebRequest();
        done(req.result == UnityWebRequest.Result.Success ? req.downloadHandler.text : null);
    }
}
