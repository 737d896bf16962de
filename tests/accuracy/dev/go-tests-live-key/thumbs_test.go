package thumbs

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestAuthorization(t *testing.T) {
	const key = "pk_live_gWHVVMYxZ9mIe3242g6JITyY2QdqfTee"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+key {
			t.Fatalf("bad auth header")
		}
	}))
	defer srv.Close()
}
