plugins { id("com.android.application"); id("org.jetbrains.kotlin.android") }
android { namespace = "com.example.tickets"; compileSdk = 34; defaultConfig { applicationId = "com.example.tickets"; minSdk = 24 } }
dependencies {
    implementation("co.paystack.android:paystack:3.1.3")
    implementation("com.stripe:stripe-android:20.48.0")
    implementation("link.magic:magic-android:10.6.0")
}
