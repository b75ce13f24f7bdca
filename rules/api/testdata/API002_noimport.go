package main

import (
	"log"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	log.Fatal(http.ListenAndServe(":8080", nil)) // want `http.ListenAndServe starts a server without ReadHeaderTimeout`
}

func tls(h http.Handler) error {
	srv := &http.Server{ // want `http.Server sets neither ReadHeaderTimeout nor ReadTimeout`
		Addr:    ":8443",
		Handler: h,
		// Certificates come from the environment.
		MaxHeaderBytes: 1 << 16, // 64 KiB
		ErrorLog:       log.Default(),
	}
	return srv.ListenAndServeTLS("cert.pem", "key.pem")
}

// Quiet: a configured server.
func ok(h http.Handler) error {
	srv := &http.Server{Handler: h, ReadTimeout: 1 << 30}
	return srv.ListenAndServe()
}

// Quiet: an unstarted zero server is only a template.
func template() http.Server {
	var base http.Server
	return base
}

// Quiet: serving a connection through a configured server's method.
func (s *site) serve() error {
	return s.srv.ListenAndServe()
}

type site struct{ srv *http.Server }
