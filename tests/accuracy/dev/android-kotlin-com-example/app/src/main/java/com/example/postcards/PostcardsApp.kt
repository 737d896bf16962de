package com.example.postcards

import android.app.Application
import com.stripe.android.PaymentConfiguration

class PostcardsApp : Application() {
    override fun onCreate() {
        super.onCreate()
        PaymentConfiguration.init(applicationContext, "pk_live_51DQL934nypJHeYQgJgpvKgjF2Vi21SqA6OABJtmc6nciezVEo9zHTav8TYZqwT1AzuvSJtphH7caQW8vifKJMW8l00o6bpffNy")
    }
}
