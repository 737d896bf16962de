package com.example.memecam.net

import okhttp3.Interceptor
import okhttp3.OkHttpClient
import retrofit2.Retrofit

object PictifyService {
    private const val BASE_URL = "https://api.pictify.io/"
    private const val TOKEN = "6b723e6e1d8a9f679b5f20491f27bbaeb55da54fa68dd4e0c7af8a8de9441d27"

    private val auth = Interceptor { chain ->
        chain.proceed(
            chain.request().newBuilder()
                .addHeader("Authorization", "Bearer $TOKEN")
                .build()
        )
    }

    val retrofit: Retrofit = Retrofit.Builder()
        .baseUrl(BASE_URL)
        .client(OkHttpClient.Builder().addInterceptor(auth).build())
        .build()
}
