package pictify

import "github.com/go-resty/resty/v2"

// New returns a resty client for the Pictify API.
func New() *resty.Client {
	return resty.New().
		SetBaseURL("https://api.pictify.io").
		SetAuthToken("pk_live_XduJqRNd3Hd1FPdEVraFddv7Pw5rWRFZ").
		SetHeader("Content-Type", "application/json").
		SetRetryCount(2)
}
