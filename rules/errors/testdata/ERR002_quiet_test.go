package orders

import (
	"io"
	"testing"
)

func read() error { return io.EOF }

// Quiet: a test asserts the exact value on purpose.
func TestRead(t *testing.T) {
	if err := read(); err != io.EOF {
		t.Fatalf("read() = %v, want io.EOF", err)
	}
	err := read()
	if _, ok := err.(interface{ Timeout() bool }); ok {
		t.Fatal("timeout")
	}
	switch err {
	case io.EOF:
	}
}
