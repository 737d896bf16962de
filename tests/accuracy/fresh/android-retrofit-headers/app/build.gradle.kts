plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "com.example.postcards"
    compileSdk = 35
    defaultConfig {
        applicationId = "com.example.postcards"
        minSdk = 26
        targetSdk = 35
        versionCode = 12
        versionName = "1.3.0"
    }
}

dependencies {
    implementation(libs.retrofit)
    implementation(libs.retrofit.moshi)
    implementation(libs.branch)
    testImplementation(libs.okhttp.mockwebserver)
}
