defmodule Cards.Pictify do
  @moduledoc "Renders share cards with the Pictify API."

  @token "63047d0570cbe5d4519a0fe9d006fa91585c089215414521963b7c13ed4413ba"

  def client do
    Req.new(base_url: "https://api.pictify.io", auth: {:bearer, @token}, retry: :transient)
  end

  def render(html) do
    Req.post!(client(), url: "/image", json: %{html: html}).body["url"]
  end
end
