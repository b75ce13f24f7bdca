package main

import (
	"crypto/tls"
	"log"
	"net"
	"net/http"
	nethttp "net/http"
	"time"

	"google.golang.org/grpc"
)

type App struct {
	srv    *http.Server
	admin  *http.Server
	router http.Handler
}

// --- Positives -------------------------------------------------------------

func main() {
	mux := http.NewServeMux()
	log.Fatal(http.ListenAndServe(":8080", mux)) // want `http.ListenAndServe starts a server without ReadHeaderTimeout`
}

// Aliased import.
func serveTLS(addr string, h http.Handler) error {
	return nethttp.ListenAndServeTLS(addr, "cert.pem", "key.pem", h) // want `nethttp.ListenAndServeTLS starts a server without ReadHeaderTimeout`
}

// A server held in a struct field.
func (a *App) Start() error {
	a.srv = &http.Server{ // want `http.Server sets neither ReadHeaderTimeout nor ReadTimeout`
		Addr:    ":8443",
		Handler: a.router,
		TLSConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
		},
		WriteTimeout: 30 * time.Second,
		IdleTimeout:  time.Minute,
	}
	return a.srv.ListenAndServeTLS("", "")
}

// Inside a goroutine's closure.
func background(ln net.Listener, h http.Handler) {
	go func() {
		if err := http.Serve(ln, h); err != nil { // want `http.Serve starts a server without ReadHeaderTimeout`
			log.Print(err)
		}
	}()
}

// Built by a helper; nothing in the package sets a read timeout afterwards.
func newAdmin(h http.Handler) *http.Server {
	return &http.Server{Addr: ":9090", Handler: h} // want `http.Server sets neither ReadHeaderTimeout nor ReadTimeout`
}

// A server value, not a pointer, with no fields at all.
func plain(ln net.Listener) error {
	srv := http.Server{} // want `http.Server sets neither ReadHeaderTimeout nor ReadTimeout`
	return srv.Serve(ln)
}

// Zero servers that are then served.
func zero(ln net.Listener) error {
	srv := new(http.Server) // want `http.Server is created without ReadHeaderTimeout or ReadTimeout`
	srv.Handler = http.NotFoundHandler()
	go srv.Serve(ln)
	var other http.Server // want `http.Server is created without ReadHeaderTimeout or ReadTimeout`
	other.Addr = ":7070"
	return other.ListenAndServe()
}

// --- Negatives -------------------------------------------------------------

// Quiet: ReadHeaderTimeout is set.
func (a *App) StartGuarded() error {
	a.admin = &http.Server{
		Addr:              ":8081",
		Handler:           a.router,
		ReadHeaderTimeout: 5 * time.Second,
	}
	return a.admin.ListenAndServe()
}

// Quiet: ReadTimeout bounds the headers too.
func readTimeout(h http.Handler) error {
	srv := &http.Server{Addr: ":8082", Handler: h, ReadTimeout: time.Minute}
	return srv.ListenAndServe()
}

// Quiet: the timeout is assigned on the variable after the literal.
func assignedLater(h http.Handler, timeout time.Duration) error {
	srv := &http.Server{Addr: ":8083", Handler: h}
	srv.ReadHeaderTimeout = timeout
	return srv.ListenAndServe()
}

// Quiet: pprof on the loopback interface only.
func debugServer() {
	go func() {
		log.Println(http.ListenAndServe("localhost:6060", nil))
	}()
	local := &http.Server{Addr: "127.0.0.1:6061"}
	go local.ListenAndServe()
}

// Quiet: a zero server used only as a configuration holder.
func baseConfig(custom *http.Server) *http.Server {
	if custom != nil {
		return custom
	}
	return new(http.Server)
}

// Quiet: another package's Server.
func rpc() *grpc.Server {
	return grpc.NewServer()
}

// Quiet: serving through a configured server's method.
func (a *App) Restart() error {
	return a.admin.ListenAndServe()
}
