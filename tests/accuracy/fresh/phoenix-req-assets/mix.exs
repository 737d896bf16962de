defmodule Cards.MixProject do
  use Mix.Project

  def project do
    [app: :cards, version: "0.4.0", elixir: "~> 1.16", deps: deps()]
  end

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:phoenix_live_view, "~> 0.20.17"},
      {:req, "~> 0.5.4"},
      {:esbuild, "~> 0.8", runtime: Mix.env() == :dev}
    ]
  end
end
