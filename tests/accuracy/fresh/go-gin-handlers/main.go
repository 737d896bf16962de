package main

import (
	"github.com/acme/ogcards/internal/og"
	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.LoadHTMLGlob("templates/*")
	r.POST("/og", og.Render)
	r.GET("/checkout", func(c *gin.Context) { c.HTML(200, "checkout.tmpl", gin.H{"TemplateID": "og-default"}) })
	_ = r.Run(":8080")
}
