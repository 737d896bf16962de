plugins { id("com.android.application"); id("org.jetbrains.kotlin.android") }
android {
    namespace = "com.example.stickers"
    compileSdk = 34
    defaultConfig { applicationId = "com.example.stickers"; minSdk = 24 }
}
dependencies {
    implementation("com.squareup.okhttp3:okhttp:4.12.0")
    implementation("com.stripe:stripe-android:20.48.0")
    androidTestImplementation("androidx.test.ext:junit:1.1.5")
}
