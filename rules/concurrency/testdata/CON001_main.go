package main

import (
	"context"
	"time"
)

var verbose bool

// Quiet: returning from main ends the process, so nothing is left to leak
// (vet's lostcancel makes the same exception).
func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	if verbose {
		cancel()
	}
	ctx, _ = context.WithCancel(ctx)
	run(ctx)
}

// Positive: any other function of package main.
func run(ctx context.Context) {
	_, cancel := context.WithCancel(ctx) // want "the cancel function from context.WithCancel is not called on every path"
	if verbose {
		cancel()
	}
}
