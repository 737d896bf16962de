package io.postcards

import io.ktor.server.application.Application
import io.ktor.server.routing.post
import io.ktor.server.routing.routing

fun Application.module() {
    val renderer = Renderer(environment.config.property("pictify.apiKey").getString())
    routing {
        post("/postcards") { renderer.handle(call) }
    }
}
