package web

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Quiet: test servers listen on loopback for the length of a test.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler()}
	go srv.Serve(ln)
	defer srv.Close()
}

func TestPackageServe(t *testing.T) {
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, nil)
}

func TestUnstarted(t *testing.T) {
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.Config = &http.Server{Handler: http.NotFoundHandler()}
	ts.Start()
	defer ts.Close()
}
