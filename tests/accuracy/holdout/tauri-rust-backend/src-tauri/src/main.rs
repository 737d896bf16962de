#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

const PICTIFY_KEY: &str = "pk_live_3Ya0w9m9mlHtOzDezbieuI6DrzT2wHBn";

#[tauri::command]
async fn render(html: String) -> Result<String, String> {
    let resp = reqwest::Client::new()
        .post("https://api.pictify.io/image")
        .bearer_auth(PICTIFY_KEY)
        .json(&serde_json::json!({ "html": html, "width": 1280 }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let v: serde_json::Value = resp.json().await.map_err(|e| e.to_string())?;
    Ok(v["url"].as_str().unwrap_or_default().to_string())
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![render])
        .run(tauri::generate_context!())
        .expect("error while running tauri application");
}
