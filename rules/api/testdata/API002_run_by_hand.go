//go:build ignore

// Quiet: from golang.org/x/net/webdav/litmus_test_server.go: a test harness
// excluded from every build and run by hand with `go run`.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
)

var port = flag.Int("port", 9999, "server port")

func main() {
	flag.Parse()
	addr := fmt.Sprintf(":%d", *port)
	log.Fatal(http.ListenAndServe(addr, nil))
}
