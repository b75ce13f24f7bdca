package web

import (
	"context"
	"net/http"

	"example.com/app/cache"
)

// Positive without a fix: `context` would be left imported and unused.
func warm(w http.ResponseWriter, r *http.Request) {
	if err := cache.Default.Warm(context.Background()); err != nil { // want `context.Background\(\) while r.Context\(\) is in scope`
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}
