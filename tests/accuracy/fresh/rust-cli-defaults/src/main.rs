mod defaults;

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, env = "CARDCTL_KEY", default_value = defaults::KEY)]
    key: String,
    html: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let res: serde_json::Value = reqwest::blocking::Client::new()
        .post("https://api.pictify.io/image")
        .bearer_auth(&args.key)
        .json(&serde_json::json!({ "html": args.html, "width": defaults::WIDTH }))
        .send()?
        .json()?;
    println!("{}", res["url"]);
    Ok(())
}
