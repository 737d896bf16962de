package og

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
)

const pictifyURL = "https://api.pictify.io/image"

var pictifyToken = "4ab442455c4adf89f9cfdfc0d0224c52af93d489a7b8da224ac98409943ec3a9"

func Render(c *gin.Context) {
	payload, _ := json.Marshal(map[string]any{"html": c.PostForm("html"), "width": 1200, "height": 630})
	req, err := http.NewRequestWithContext(c, http.MethodPost, pictifyURL, bytes.NewReader(payload))
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	req.Header.Set("Authorization", "Bearer "+pictifyToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.AbortWithStatus(http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	var out struct {
		URL string `json:"url"`
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	c.JSON(http.StatusOK, out)
}
