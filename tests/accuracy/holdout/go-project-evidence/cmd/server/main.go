package main

import (
	"example.com/postcards/internal/config"
	"github.com/pictify-io/pictify-go"
)

func main() {
	cfg := config.Default()
	client := pictify.NewClient(cfg.RenderKey)
	_ = client
}
