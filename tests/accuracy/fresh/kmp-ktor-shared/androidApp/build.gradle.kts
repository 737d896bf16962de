plugins {
    id("com.android.application")
    kotlin("android")
}

android {
    namespace = "io.cardsmith.android"
    compileSdk = 34
    defaultConfig {
        applicationId = "io.cardsmith.android"
        minSdk = 26
    }
}

dependencies {
    implementation(project(":shared"))
    implementation("io.radar:sdk:3.12.2")
}
