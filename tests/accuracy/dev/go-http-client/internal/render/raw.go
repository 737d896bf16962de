package render

import (
	"bytes"
	"net/http"
)

const (
	baseURL     = "https://api.pictify.io"
	bearerToken = "cd64d74f994fa7b6ec29426ff4e11dcbea7f1300"
)

func Image(html []byte) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, baseURL+"/image", bytes.NewReader(html))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bearerToken)
	return http.DefaultClient.Do(req)
}
