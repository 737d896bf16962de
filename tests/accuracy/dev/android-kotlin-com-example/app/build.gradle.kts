plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "com.example.postcards"
    compileSdk = 34

    defaultConfig {
        applicationId = "com.example.postcards"
        minSdk = 24
        targetSdk = 34
        versionCode = 7
        versionName = "1.3.0"
        buildConfigField("String", "PICTIFY_KEY", "\"pk_live_bsWzygWZxTwwkDmPhFTaz818tdYB5hxA\"")
    }
    buildFeatures { buildConfig = true }
}

dependencies {
    implementation("com.squareup.okhttp3:okhttp:4.12.0")
    implementation("androidx.core:core-ktx:1.13.1")
    implementation("com.stripe:stripe-android:20.48.0")
    testImplementation("junit:junit:4.13.2")
}
