package com.example.tickets

import android.app.Application
import co.paystack.android.PaystackSdk
import com.stripe.android.PaymentConfiguration
import link.magic.android.Magic

class TicketsApp : Application() {
    lateinit var magic: Magic

    override fun onCreate() {
        super.onCreate()
        PaystackSdk.initialize(applicationContext)
        PaystackSdk.setPublicKey("pk_live_3daa93803cdf15e3320efd230d133f860d83320a")
        PaymentConfiguration.init(this, "pk_test_51IWY3CwRd9wV35pK4rVZ087xEMkX0CkVb15o1953yqplO8bO8p2x3dOU3ekvSQC2PRk3XHH3TLYTTjA85vgjoPsq00bu1MZczH")
        magic = Magic(this, "pk_live_BEFCB42B7E86FC5A")
    }
}
