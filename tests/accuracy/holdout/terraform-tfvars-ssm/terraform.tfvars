region          = "eu-west-1"
pictify_api_key = "pk_live_zHbuZdgxO9u9z3HfiKvJItC5xgimsCMm"
