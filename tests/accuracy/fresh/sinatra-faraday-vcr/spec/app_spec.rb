require "rack/test"
require "vcr"
require_relative "../app"

VCR.configure do |c|
  c.cassette_library_dir = "spec/fixtures/cassettes"
  c.hook_into :webmock
end

RSpec.describe "POST /cards" do
  include Rack::Test::Methods
  def app = Sinatra::Application

  it "redirects to the rendered card" do
    VCR.use_cassette("render_card") { post "/cards", html: "<h1>Hi</h1>" }
    expect(last_response).to be_redirect
  end
end
