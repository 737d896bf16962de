package org.example.greetings

import android.app.Application
import app.knock.client.Knock

class GreetingsApp : Application() {
    override fun onCreate() {
        super.onCreate()
        Knock.setup(context = this, publishableKey = "pk_test_IKxzpkz7cDI0wEotPxto1o1NfWVAbxgRQ_UpgiTxxGT")
    }
}
