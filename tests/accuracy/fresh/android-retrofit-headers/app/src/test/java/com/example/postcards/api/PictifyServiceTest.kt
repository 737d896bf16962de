package com.example.postcards.api

import okhttp3.mockwebserver.MockResponse
import okhttp3.mockwebserver.MockWebServer
import org.junit.Assert.assertEquals
import org.junit.Test

class PictifyServiceTest {
    private val sandboxKey = "pk_test_h7qaGo2VkfjLxVbiJx3BXJxT535Djdsh"

    @Test
    fun headerIsSent() {
        val server = MockWebServer()
        server.enqueue(MockResponse().setBody("""{"url":"https://cdn.example/x.png"}"""))
        val recorded = server.takeRequest()
        assertEquals("Bearer $sandboxKey", recorded.getHeader("Authorization"))
    }
}
