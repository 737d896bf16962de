use awc::Client;

const PICTIFY_URL: &str = "https://api.pictify.io/image";

pub async fn render(client: &Client, html: &str) -> Result<String, Box<dyn std::error::Error>> {
    let mut res = client
        .post(PICTIFY_URL)
        .bearer_auth("3063db39f9eaf55bb9127f8c1bb540e442b1bf328076b53c7933d4dfe58b6402")
        .send_json(&serde_json::json!({ "html": html }))
        .await?;
    let body: serde_json::Value = res.json().await?;
    Ok(body["url"].as_str().unwrap_or_default().to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_format() {
        let key = "pk_test_Gr33kU3SnErYqMeXAq4itDnT0hzSgRax";
        assert_eq!(format!("Bearer {key}").len(), 47);
    }
}
