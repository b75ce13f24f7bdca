package remote

import (
	"net"
	"net/http"
)

// Quiet: from ginkgo internal/remote/server.go: the listener is opened on a
// constant loopback address in the constructor and kept in a field; the server
// built later serves only that listener.
type Server struct {
	listener net.Listener
}

func NewServer() (*Server, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return &Server{listener: listener}, nil
}

func (s *Server) Start() {
	httpServer := &http.Server{}
	httpServer.Handler = http.NewServeMux()
	go httpServer.Serve(s.listener)
}

// Quiet: a local loopback listener handed to the package function.
func debugServer(h http.Handler) error {
	ln, err := net.Listen("tcp", "localhost:6060")
	if err != nil {
		return err
	}
	return http.Serve(ln, h)
}

// Quiet: a zero server on a loopback listener.
func zeroServer(h http.Handler) error {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		return err
	}
	srv := new(http.Server)
	srv.Handler = h
	return srv.Serve(ln)
}

// Still reported: a listener on every interface.
func public(h http.Handler) error {
	ln, err := net.Listen("tcp", ":8080")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h} // want `http.Server sets neither ReadHeaderTimeout nor ReadTimeout`
	return srv.Serve(ln)
}

// Still reported: a configurable address, even with a loopback default.
func configurable(addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return http.Serve(ln, h) // want `http.Serve starts a server without ReadHeaderTimeout`
}

// Still reported: a field that is also given a public listener.
type Admin struct{ ln net.Listener }

func newAdmin(public bool) (*Admin, error) {
	if public {
		ln, err := net.Listen("tcp", ":9090")
		return &Admin{ln: ln}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:9090")
	return &Admin{ln: ln}, err
}

func (a *Admin) run(h http.Handler) error {
	return http.Serve(a.ln, h) // want `http.Serve starts a server without ReadHeaderTimeout`
}
