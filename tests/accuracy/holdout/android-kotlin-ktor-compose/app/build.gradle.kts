plugins { id("com.android.application"); id("org.jetbrains.kotlin.android") }
android {
    namespace = "org.example.greetings"
    compileSdk = 34
    defaultConfig { applicationId = "org.example.greetings"; minSdk = 26 }
    buildFeatures { compose = true }
}
dependencies {
    implementation("io.ktor:ktor-client-android:2.3.11")
    implementation("app.knock.client:knock-android:0.2.0")
}
