package com.example.postcards.render

import okhttp3.MediaType.Companion.toMediaType
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import org.json.JSONObject

class PostcardRenderer(private val client: OkHttpClient = OkHttpClient()) {

    fun render(html: String): String {
        val body = JSONObject(mapOf("html" to html, "width" to 1080, "height" to 1350)).toString()
            .toRequestBody("application/json".toMediaType())
        val request = Request.Builder()
            .url("https://api.pictify.io/image")
            .post(body)
            .addHeader("Content-Type", "application/json")
            .addHeader("Authorization", "Bearer pk_live_d2FarOWicuzVonXuZckzWj3YgB8sXkJd")
            .build()
        client.newCall(request).execute().use { return it.body!!.string() }
    }
}
