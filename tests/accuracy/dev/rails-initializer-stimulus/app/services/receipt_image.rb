require "net/http"

class ReceiptImage
  def self.call(order)
    http = Net::HTTP.new(PICTIFY_ENDPOINT.host, PICTIFY_ENDPOINT.port)
    http.use_ssl = true
    request = Net::HTTP::Post.new(PICTIFY_ENDPOINT.request_uri)
    request["Authorization"] = "Bearer #{PICTIFY_TOKEN}"
    request["Content-Type"] = "application/json"
    request.body = { variables: { total: order.total, number: order.number } }.to_json
    JSON.parse(http.request(request).body)
  end
end
