use reqwest::Client;
use serde_json::json;

const PICTIFY_URL: &str = "https://api.pictify.io/image";
const RENDER_TOKEN: &str = "jC1inBAtkD2djJUrjBgcalhZf8dUPNpxS60lYYFAosg";

pub async fn banner(client: &Client, text: &str) -> reqwest::Result<String> {
    let v: serde_json::Value = client
        .post(PICTIFY_URL)
        .bearer_auth(RENDER_TOKEN)
        .json(&json!({ "html": format!("<h1>{text}</h1>"), "width": 1500, "height": 500 }))
        .send()
        .await?
        .json()
        .await?;
    Ok(v["url"].as_str().unwrap_or_default().to_owned())
}
