mod pictify;

use actix_web::{post, web, App, HttpServer, Responder};

#[post("/render")]
async fn render(html: String) -> impl Responder {
    let client = awc::Client::default();
    pictify::render(&client, &html).await.unwrap_or_default()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| App::new().service(render)).bind(("0.0.0.0", 8080))?.run().await
}
