package store

import (
	"context"
	"testing"
	"time"

	ctxpkg "context"
)

type Item struct{}

type Store struct{}

// Positive: a method, the receiver does not count.
func (s *Store) Get(id string, ctx context.Context) (*Item, error) { // want `the context.Context parameter ctx of Get comes after id: pass the context first`
	return nil, nil
}

// Positive: a plain function with an aliased import and grouped names.
func Put(a, b string, ctx ctxpkg.Context) error { // want `parameter ctx of Put comes after a`
	return nil
}

// Positive: reported once, at the first context out of place.
func Merge(n int, first context.Context, second context.Context) error { // want `parameter first of Merge comes after n`
	return nil
}

// Positive: an unnamed context parameter.
func Touch(time.Duration, context.Context) {} // want `parameter context.Context of Touch comes after time.Duration`

// Positive: a test helper's t is fine before ctx, other parameters are not.
func seed(t *testing.T, n int, ctx context.Context) {} // want `parameter ctx of seed comes after n`

// Quiet: the context comes first.
func (s *Store) Delete(ctx context.Context, id string) error { return nil }

// Quiet: several leading contexts.
func join(parent, child context.Context, d time.Duration) context.Context { return child }

// Quiet: the test conventions.
func helper(t *testing.T, ctx context.Context, id string) {}

func bench(b *testing.B, ctx context.Context) {}

func fuzzSeed(f *testing.F, ctx context.Context) {}

func either(tb testing.TB, ctx context.Context) {}

// Quiet: an optional trailing context (variadic).
func Ping(addr string, ctxs ...context.Context) error { return nil }

// Quiet: no context, or only one parameter.
func Len(items []Item) int                    { return len(items) }
func Wait(ctx context.Context)                {}
func Pointer(id string, ctx *context.Context) {}

// Quiet: func literals, func types and interface methods are dictated by their API.
type Callback func(id string, ctx context.Context) error

type Getter interface {
	Get(id string, ctx context.Context) (*Item, error)
}

var onEvent = func(name string, ctx context.Context) {}

// Quiet: a gRPC method handler's signature is grpc-go's.
func _Search_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error) (interface{}, error) {
	return nil, nil
}

// Quiet: another package's Context.
type fakeContext interface{ Done() <-chan struct{} }

func withFake(id string, ctx fakeContext) {}
