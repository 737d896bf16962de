require "net/http"
require "json"

module OgImage
  ENDPOINT = URI("https://api.pictify.io/templates/post/render")

  class Generator < Jekyll::Generator
    safe true

    def generate(site)
      site.posts.docs.each do |post|
        req = Net::HTTP::Post.new(ENDPOINT, "Content-Type" => "application/json")
        req["Authorization"] = "Bearer pk_live_cRwYOd98DgKrzuy1HKkvuG7IX7qGbuk4"
        req.body = { variables: { title: post.data["title"] } }.to_json
        res = Net::HTTP.start(ENDPOINT.host, ENDPOINT.port, use_ssl: true) { |http| http.request(req) }
        post.data["image"] = JSON.parse(res.body).dig("results", 0, "url")
      end
    end
  end
end
