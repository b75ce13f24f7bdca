package main

import (
	"log"
	"net/http"
	"os"
)

// Quiet: main's goroutines may end the program: that is main's call to make.
func main() {
	go func() {
		log.Fatal(http.ListenAndServe(":6060", nil))
	}()
	go func() {
		if err := http.ListenAndServe(":8080", nil); err != nil {
			os.Exit(1)
		}
	}()
	go serveMetrics()
	select {}
}

func init() {
	go func() {
		log.Fatal(http.ListenAndServe(":6061", nil))
	}()
}

func serveMetrics() {
	log.Fatal(http.ListenAndServe(":9090", nil))
}

// Positive: outside main, in package main too.
func startAdmin() {
	go func() {
		log.Fatal(http.ListenAndServe(":7070", nil)) // want "log.Fatal exits the process"
	}()
}
