package main

import (
	"context"
	"log"
	"net/http"

	"github.com/pictify-io/pictify-go"
)

func main() {
	client := pictify.NewClient("pk_live_Hk26D58K0rNXTxLTWUVhhjSjtd4JzISL")
	http.HandleFunc("/badge", func(w http.ResponseWriter, r *http.Request) {
		img, err := client.RenderHTML(context.Background(), &pictify.RenderHTMLOptions{HTML: "<b>ok</b>", Width: 400, Height: 120})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		http.Redirect(w, r, img.URL, http.StatusFound)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
