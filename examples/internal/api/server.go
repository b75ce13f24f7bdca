package api

import (
	"net/http"
	"time"
)

// NewServer returns the public API server. Responses are small; a slow
// client is cut off after WriteTimeout, an idle keep-alive after IdleTimeout.
func NewServer(addr string, handler http.Handler) *http.Server {
	return &http.Server{
		Addr:         addr,
		Handler:      handler,
		WriteTimeout: 30 * time.Second,
		IdleTimeout:  2 * time.Minute,
	}
}
