import Config

config :cards, :stripe_publishable_key, "pk_test_51esU6DeWVAD9W0RGxeKE7QrLYKcXhPraoEq7n2qi91h0U9mFXNewgVF7OJdPhFnlPFTOq2Qs4k0BFHp96ZyRega000IxhB255k"

config :esbuild,
  version: "0.17.11",
  cards: [args: ~w(js/app.js --bundle --target=es2017 --outdir=../priv/static/assets), cd: Path.expand("../assets", __DIR__)]
