require "sinatra"
require "faraday"

PICTIFY = Faraday.new(url: "https://api.pictify.io") do |f|
  f.request :authorization, "Bearer", "pk_live_88vS3RLx7CTH33eeAQrWihMUu5o57dvu"
  f.request :json
  f.response :json
end

get "/" do
  erb :index
end

post "/cards" do
  res = PICTIFY.post("/image", { html: params[:html] })
  redirect res.body["url"]
end
