module example.org/digest

go 1.22

require (
	github.com/go-resty/resty/v2 v2.13.1
	github.com/labstack/echo/v4 v4.12.0
	github.com/spf13/viper v1.19.0
)
