package server

import (
	"net/http"
	"time"
)

type Config struct {
	Addr        string
	ReadTimeout time.Duration
}

type Server struct {
	http *http.Server
	cfg  Config
}

// Quiet: the literal is stored in a field and its read timeout set elsewhere
// in the package.
func New(cfg Config, h http.Handler) *Server {
	s := &Server{cfg: cfg}
	s.http = &http.Server{Addr: cfg.Addr, Handler: h}
	return s
}

func (s *Server) Start() error {
	if s.cfg.ReadTimeout > 0 {
		s.http.ReadTimeout = s.cfg.ReadTimeout
	} else {
		s.http.ReadHeaderTimeout = 10 * time.Second
	}
	return s.http.ListenAndServe()
}

// Quiet: a constructor's server, configured by its caller.
func newPublic(h http.Handler) *http.Server {
	return &http.Server{Addr: ":8084", Handler: h, WriteTimeout: time.Minute}
}

func startPublic(h http.Handler) error {
	var srv *http.Server
	srv = newPublic(h)
	srv.ReadTimeout = 30 * time.Second
	return srv.ListenAndServe()
}

// Quiet: handed to a local function that sets the timeouts.
func startConfigured(h http.Handler) error {
	srv := &http.Server{Addr: ":8085", Handler: h}
	withTimeouts(srv)
	return srv.ListenAndServe()
}

func withTimeouts(srv *http.Server) {
	srv.ReadHeaderTimeout = 5 * time.Second
	srv.IdleTimeout = time.Minute
}
