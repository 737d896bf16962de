job "cards" {
  datacenters = ["dc1"]
  type        = "service"

  group "api" {
    count = 2

    network {
      port "http" { to = 8080 }
    }

    task "server" {
      driver = "docker"

      config {
        image = "ghcr.io/acme/cards:1.4.2"
        ports = ["http"]
      }

      env {
        PICTIFY_API_KEY = "pk_live_kipckrVmHTJIqejjC3cKkvISGySiaQgk"
        PORT            = "8080"
      }

      template {
        data        = <<EOH
PICTIFY_WEBHOOK_SECRET={{ with secret "kv/data/cards" }}{{ .Data.data.webhook_secret }}{{ end }}
EOH
        destination = "secrets/app.env"
        env         = true
      }
    }
  }
}
