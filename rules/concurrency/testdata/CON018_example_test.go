package server_test

import (
	"log"
	"net"
	"os"
	"runtime"
	"testing"
	"time"
)

// Quiet: an example stands for a main; it may end the program.
func ExampleListener() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		c.Close()
	}()
}

// Quiet: TestMain owns the test binary's process.
func TestMain(m *testing.M) {
	go func() {
		if _, err := net.Listen("tcp", "127.0.0.1:0"); err != nil {
			log.Fatalf("listen: %v", err)
		}
	}()
	os.Exit(m.Run())
}

// Positive: in a test, log.Fatal from a goroutine kills the whole test binary
// without saying which test failed and without running any cleanup.
func TestAccept(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			log.Fatalln("Accept:", err) // want "log.Fatalln exits the process from a goroutine"
		}
		c.Close()
	}()
}

// Quiet: a deadlock watchdog dumps every goroutine's stack and exits on purpose
// (klauspost/compress's test timeout).
func timeout(stop <-chan struct{}, expired <-chan time.Time) {
	go func() {
		select {
		case <-stop:
			return
		case <-expired:
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			log.Printf("timeout, assuming deadlock:\n%s", buf[:n])
			os.Exit(2)
		}
	}()
}
