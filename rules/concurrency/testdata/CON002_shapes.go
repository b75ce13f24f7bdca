//go:build go1.21

package worker

import (
	"context"
	"io"
	"log"
	"testing"
)

type node struct {
	id   int64
	next *node
}

func visit(ctx context.Context, id int64) {}

// Positive: a variable the loop assigns with `=` is just as shared.
func assigned(ctx context.Context, ids []int64) {
	var id int64
	for _, id = range ids {
		go func() {
			visit(ctx, id) // want "goroutine captures loop variable id"
		}()
	}
}

// Positive: the variable a three-clause loop's post statement moves.
func list(ctx context.Context, head *node) {
	for n := head; n != nil; n = n.next {
		go func() {
			visit(ctx, n.id) // want "goroutine captures loop variable n"
		}()
	}
}

// Positive: a parallel subtest nested in a parallel subtest's literal.
func TestNested(t *testing.T) {
	for _, id := range []int64{1, 2} {
		t.Run("outer", func(s *testing.T) {
			s.Parallel()
			s.Run("inner", func(u *testing.T) {
				visit(context.Background(), id) // want "parallel subtest captures loop variable id"
			})
		})
	}
}

// Quiet: Parallel is called on another T, not on the subtest's own.
func TestOtherT(t *testing.T) {
	for _, id := range []int64{1, 2} {
		t.Run("case", func(t *testing.T) {
			var other testing.T
			other.Parallel()
			visit(context.Background(), id)
		})
	}
}

// Quiet: a goto may skip the Parallel call (only statements after the last
// label count, as in vet).
func TestGoto(t *testing.T) {
	for _, id := range []int64{1, 2} {
		t.Run("case", func(t *testing.T) {
			if id == 1 {
				goto run
			}
			t.Parallel()
		run:
			visit(context.Background(), id)
		})
	}
}

// Quiet: the outer subtest is not parallel, so t.Run waits for the inner one.
func TestSerialOuter(t *testing.T) {
	for _, id := range []int64{1, 2} {
		t.Run("outer", func(s *testing.T) {
			s.Run("inner", func(u *testing.T) {
				u.Parallel()
				visit(context.Background(), id)
			})
		})
	}
}

// Quiet: a t.Parallel() placed after the loop variable was copied.
func TestCopiedBeforeParallel(t *testing.T) {
	for _, id := range []int64{1, 2} {
		t.Run("case", func(t *testing.T) {
			id := id
			t.Parallel()
			visit(context.Background(), id)
		})
	}
}

// Quiet: the loop waits for each goroutine through a wait call.
func waitEach(ctx context.Context, ids []int64, wait func()) {
	for _, id := range ids {
		go func() {
			visit(ctx, id)
		}()
		wait()
	}
}

// Quiet: reading the pipe the goroutine writes waits for it (the shape of
// encoding/base32's tests); any call but a builtin or a log line may wait.
func TestPiped(t *testing.T) {
	for _, parts := range [][]string{{"a", "b"}, {"c"}} {
		pr, pw := io.Pipe()
		go func() {
			for _, p := range parts {
				pw.Write([]byte(p))
			}
			pw.Close()
		}()
		_, err := io.ReadAll(pr)
		if err != nil {
			t.Errorf("parts %v: %v", parts, err)
		}
	}
}

// Positive: a log line after the goroutine does not wait for it.
func logged(ctx context.Context, ids []int64) {
	for i, id := range ids {
		go func() {
			visit(ctx, id) // want "goroutine captures loop variable id"
		}()
		log.Printf("started %d", i)
	}
}

// Positive: the last statement of an inner loop (vet looks there too, whatever
// runs before it in the inner body).
func pairs(ctx context.Context, as, bs []int64) {
	for _, a := range as {
		for _, b := range bs {
			visit(ctx, b)
			go func() {
				visit(ctx, a) // want "goroutine captures loop variable a"
			}()
		}
	}
}
