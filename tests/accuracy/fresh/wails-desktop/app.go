package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

const pictifyKey = "pk_live_WRBZTe62xvOsc0teMhPVjRcWZB3K5Vpu"

type App struct{ ctx context.Context }

func NewApp() *App { return &App{} }

func (a *App) startup(ctx context.Context) { a.ctx = ctx }

// RenderPoster is bound to the frontend as window.go.main.App.RenderPoster.
func (a *App) RenderPoster(html string) (string, error) {
	body, _ := json.Marshal(map[string]string{"html": html})
	req, err := http.NewRequestWithContext(a.ctx, http.MethodPost, "https://api.pictify.io/image", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+pictifyKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct{ URL string `json:"url"` }
	err = json.NewDecoder(res.Body).Decode(&out)
	return out.URL, err
}
