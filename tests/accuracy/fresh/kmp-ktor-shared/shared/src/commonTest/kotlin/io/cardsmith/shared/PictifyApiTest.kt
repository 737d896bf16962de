package io.cardsmith.shared

import io.ktor.client.HttpClient
import io.ktor.client.engine.mock.MockEngine
import io.ktor.client.engine.mock.respond
import io.ktor.http.HttpHeaders
import kotlinx.coroutines.test.runTest
import kotlin.test.Test
import kotlin.test.assertEquals

class PictifyApiTest {
    private val sandboxKey = "pk_test_I1Bgz40ino8KcRN0zmCoTorXK9eJwt7R"

    @Test
    fun sendsBearerToken() = runTest {
        var seen: String? = null
        val engine = MockEngine { request ->
            seen = request.headers[HttpHeaders.Authorization]
            respond("""{"url":"https://cdn.example/x.png"}""")
        }
        PictifyApi(HttpClient(engine), token = sandboxKey).render("<p>hi</p>")
        assertEquals("Bearer $sandboxKey", seen)
    }
}
