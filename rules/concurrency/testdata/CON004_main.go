package main

import (
	"log"
	"time"
)

// Quiet: main's goroutines live as long as the process.
func main() {
	go func() {
		for {
			time.Sleep(time.Minute)
			log.Println("heartbeat")
		}
	}()
	select {}
}

// Positive: outside main, in package main too.
func startHeartbeat() {
	go func() { // want `goroutine loops forever`
		for {
			time.Sleep(time.Minute)
			log.Println("heartbeat")
		}
	}()
}
