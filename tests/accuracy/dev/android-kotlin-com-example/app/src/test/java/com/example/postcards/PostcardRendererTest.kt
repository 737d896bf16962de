package com.example.postcards

import org.junit.Assert.assertTrue
import org.junit.Test

class PostcardRendererTest {
    // Fake key for the mock server; Pictify never sees it.
    private val fakeKey = "pk_test_0000000000000000000000000000"

    @Test
    fun buildsAuthorizationHeader() {
        assertTrue("Bearer $fakeKey".startsWith("Bearer pk_test_"))
    }
}
