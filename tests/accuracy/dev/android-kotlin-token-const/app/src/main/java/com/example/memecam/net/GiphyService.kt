package com.example.memecam.net

object GiphyService {
    const val BASE_URL = "https://api.giphy.com/v1/"
    const val API_KEY = "fUelDjOOQoZ3hl-FQkSPuiZyk-1e5ZS9"
}
