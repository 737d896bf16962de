package io.cardsmith.shared

import io.ktor.client.HttpClient
import io.ktor.client.call.body
import io.ktor.client.plugins.auth.Auth
import io.ktor.client.plugins.auth.providers.BearerTokens
import io.ktor.client.plugins.auth.providers.bearer
import io.ktor.client.plugins.defaultRequest
import io.ktor.client.request.post
import io.ktor.client.request.setBody

class PictifyApi(
    engine: HttpClient = HttpClient(),
    private val token: String = "43511c30e821abc5f86ac4ba45a78cb572f4c785e7e927c7ad4e1636ade8cc03",
) {
    private val client = engine.config {
        defaultRequest { url("https://api.pictify.io/") }
        install(Auth) {
            bearer {
                loadTokens { BearerTokens(accessToken = token, refreshToken = "") }
            }
        }
    }

    suspend fun render(html: String): RenderResult =
        client.post("image") { setBody(RenderRequest(html)) }.body()
}
