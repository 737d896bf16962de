package main

import (
	"net/http"

	"example.org/digest/internal/pictify"
	"github.com/labstack/echo/v4"
)

func main() {
	e := echo.New()
	client := pictify.New()
	e.POST("/digest", func(c echo.Context) error {
		res, err := client.R().SetBody(map[string]string{"html": c.FormValue("html")}).Post("/image")
		if err != nil {
			return err
		}
		return c.JSONBlob(http.StatusOK, res.Body())
	})
	e.Logger.Fatal(e.Start(":8080"))
}
