#[macro_use]
extern crate rocket;

use rocket::fs::FileServer;
use rocket::State;
use rocket_dyn_templates::{context, Template};
use serde::Deserialize;

#[derive(Deserialize)]
struct Settings {
    pictify_key: String,
}

#[get("/")]
fn index(settings: &State<Settings>) -> Template {
    Template::render("index", context! { pictify_key: &settings.pictify_key })
}

#[launch]
fn rocket() -> _ {
    rocket::build()
        .mount("/", routes![index])
        .mount("/static", FileServer::from("static"))
        .attach(Template::fairing())
        .attach(rocket::fairing::AdHoc::config::<Settings>())
}
