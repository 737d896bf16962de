package org.example.greetings.data

import io.ktor.client.HttpClient
import io.ktor.client.engine.android.Android
import io.ktor.client.plugins.defaultRequest
import io.ktor.client.request.header
import io.ktor.http.HttpHeaders

private const val RENDER_SECRET = "J10Kf2xFUY-QKJMgVWvE02TTi1gya0jqH5VMGTQog-m"

val cardClient = HttpClient(Android) {
    defaultRequest {
        url("https://api.pictify.io/")
        header(HttpHeaders.ContentType, "application/json")
        header(HttpHeaders.Authorization, "Bearer $RENDER_SECRET")
    }
}
