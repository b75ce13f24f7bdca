// Package webtest holds test helpers: its servers listen on loopback for tests.
package webtest

import (
	"net"
	"net/http"
)

// Quiet: a test-support package (like net/http/httptest).
func Start(h http.Handler) (net.Listener, error) {
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return ln, nil
}

func StartDefault(ln net.Listener) {
	go http.Serve(ln, nil)
}

func Unstarted(h http.Handler) *http.Server {
	return &http.Server{Handler: h}
}
