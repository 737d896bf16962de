package io.postcards

import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.request.bearerAuth
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.server.application.ApplicationCall

class Renderer(private val apiKey: String) {
    private val client = HttpClient(CIO)

    suspend fun handle(call: ApplicationCall) {
        client.post("https://api.pictify.io/image") {
            bearerAuth(apiKey)
            setBody("""{"html":"<h1>Greetings</h1>"}""")
        }
    }
}
