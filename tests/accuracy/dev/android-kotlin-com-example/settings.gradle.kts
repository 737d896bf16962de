rootProject.name = "Postcards"
include(":app")
