package main

import (
	"context"
	"os"
	"os/signal"
)

type app struct{}

func (app) run(ctx context.Context) error { return nil }

func init() {
	_ = app{}.run(context.Background())
}

// Quiet: main owns the process; its root context is the start of the chain.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	_ = app{}.run(ctx)
	_ = app{}.run(context.Background())
}

// Positive: any other function of package main that receives a context.
func serve(ctx context.Context) error {
	return app{}.run(context.TODO()) // want `context.TODO\(\) while ctx is in scope`
}
