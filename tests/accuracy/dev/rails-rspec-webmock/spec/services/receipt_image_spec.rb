require "rails_helper"

RSpec.describe ReceiptImage do
  it "renders a receipt" do
    stub_request(:post, "https://api.pictify.io/templates/receipt/render")
      .with(headers: { "Authorization" => "Bearer 1a48d016b4f92a45b138f8d6f17d1502e8dcf77d225882a7817d429c550a1a31" })
      .to_return(body: { url: "https://cdn.pictify.io/r/1.png" }.to_json)
    expect(described_class.call(build(:order))["url"]).to include("cdn.pictify.io")
  end
end
