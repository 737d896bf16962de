package com.example.stickers

import androidx.test.ext.junit.runners.AndroidJUnit4
import org.junit.Test
import org.junit.runner.RunWith

@RunWith(AndroidJUnit4::class)
class RenderInstrumentedTest {
    private val key = "pk_live_oxPhEgjD0v4am9TfKgOkUDdINbWhYyvG"

    @Test
    fun rendersSticker() {
        val url = StickerRenderer(key).render("<b>hi</b>")
        assert(url.startsWith("https://cdn.pictify.io/"))
    }
}
