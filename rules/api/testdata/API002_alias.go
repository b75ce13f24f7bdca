package web

import (
	"net/http"
	stdtime "time"
)

// The fix writes the file's own name for the time package.
func aliased(h http.Handler) error {
	srv := &http.Server{ // want `http.Server sets neither ReadHeaderTimeout nor ReadTimeout`
		Addr:         ":8080",
		Handler:      h,
		WriteTimeout: stdtime.Minute,
	}
	return srv.ListenAndServe()
}

// A parameter named like the package: no fix is offered (it would not compile).
func shadowed(h http.Handler, stdtime int) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server sets neither ReadHeaderTimeout nor ReadTimeout`
	_ = stdtime
	return srv.ListenAndServe()
}

// Quiet: already bounded.
func bounded(h http.Handler) error {
	srv := &http.Server{Addr: ":8081", Handler: h, ReadHeaderTimeout: 2 * stdtime.Second}
	return srv.ListenAndServe()
}

// Quiet: a read timeout from configuration.
func configured(h http.Handler, read stdtime.Duration) error {
	srv := &http.Server{Addr: ":8082", Handler: h}
	srv.ReadTimeout = read
	return srv.ListenAndServe()
}

// Quiet: the admin endpoint listens on loopback only.
func admin(h http.Handler) error {
	return http.ListenAndServe("127.0.0.1:9000", h)
}
