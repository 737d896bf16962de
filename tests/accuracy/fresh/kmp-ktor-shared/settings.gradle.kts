rootProject.name = "Cardsmith"
include(":androidApp")
include(":shared")
