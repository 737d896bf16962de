PICTIFY_TOKEN = "ec3eea272e12651ee21ae3740cd4e7ed19d4b6c85e5fc15fdc362e7aae6c485f"
PICTIFY_ENDPOINT = URI("https://api.pictify.io/templates/receipt/render")
