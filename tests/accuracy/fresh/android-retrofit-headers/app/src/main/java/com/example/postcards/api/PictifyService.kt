package com.example.postcards.api

import retrofit2.http.Body
import retrofit2.http.Headers
import retrofit2.http.POST

data class RenderRequest(val html: String, val width: Int = 1080, val height: Int = 1350)
data class RenderResponse(val url: String)

interface PictifyService {
    @Headers(
        "Content-Type: application/json",
        "Authorization: Bearer pk_live_BogAMnPGqzNI6tbq0hlB6gghLWQlAl2I"
    )
    @POST("image")
    suspend fun render(@Body request: RenderRequest): RenderResponse
}
