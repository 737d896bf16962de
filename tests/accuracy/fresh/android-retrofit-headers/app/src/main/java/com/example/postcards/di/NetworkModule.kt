package com.example.postcards.di

import com.example.postcards.api.PictifyService
import retrofit2.Retrofit
import retrofit2.converter.moshi.MoshiConverterFactory

object NetworkModule {
    val pictify: PictifyService = Retrofit.Builder()
        .baseUrl("https://api.pictify.io/")
        .addConverterFactory(MoshiConverterFactory.create())
        .build()
        .create(PictifyService::class.java)
}
