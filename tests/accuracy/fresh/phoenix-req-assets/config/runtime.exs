import Config

if config_env() == :prod do
  config :cards, :pictify_api_key,
    System.get_env("PICTIFY_API_KEY") || "pk_live_XpB34eZH2mrV9YnfJLnnHDhqvC3lLrhk"

  config :cards, CardsWeb.Endpoint,
    http: [port: String.to_integer(System.get_env("PORT") || "4000")],
    secret_key_base: System.fetch_env!("SECRET_KEY_BASE")
end
