package service

import (
	"context"
	"errors"
	"log"
	"time"

	ctxpkg "context"
)

type Store interface {
	Get(ctx context.Context, id string) (string, error)
}

type Service struct {
	store   Store
	timeout time.Duration
	ctx     context.Context
	cancel  context.CancelFunc
	stop    func()
}

// Positive: the cancel function is discarded (aliased import).
func (s *Service) discarded(ctx context.Context, id string) (string, error) {
	ctx, _ = ctxpkg.WithTimeout(ctx, s.timeout) // want "the cancel function from ctxpkg.WithTimeout is discarded"
	return s.store.Get(ctx, id)
}

// Positive: discarded in a short variable declaration.
func (s *Service) discardedShort(parent context.Context, id string) (string, error) {
	ctx, _ := context.WithCancel(parent) // want "the cancel function from context.WithCancel is discarded"
	return s.store.Get(ctx, id)
}

// Positive: the name `cancel` is taken, the fix picks another one.
func (s *Service) discardedCause(parent context.Context, cancel func()) error {
	ctx, _ := context.WithCancelCause(parent) // want "the cancel function from context.WithCancelCause is discarded"
	cancel()
	_, err := s.store.Get(ctx, "x")
	return err
}

// Positive: the early return leaks the context.
func (s *Service) earlyReturn(ctx context.Context, id string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout) // want "the cancel function from context.WithTimeout is not called on every path"
	item, err := s.store.Get(ctx, id)
	if err != nil {
		return "", err
	}
	cancel()
	return item, nil
}

// Positive: never called at all, inside a goroutine's func literal.
func (s *Service) inClosure(ctx context.Context, ids []string) {
	go func() {
		c, cancel := context.WithDeadline(ctx, time.Now().Add(s.timeout)) // want "the cancel function from context.WithDeadline is never called"
		for _, id := range ids {
			_, _ = s.store.Get(c, id)
		}
		_ = cancel
	}()
}

// Positive: a helper of this package that derives a context.
func (s *Service) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

func (s *Service) throughHelper(ctx context.Context, id string) error {
	ctx, cancel := s.withTimeout(ctx) // want "the cancel function from s.withTimeout is not called on every path"
	if _, err := s.store.Get(ctx, id); err != nil {
		return err
	}
	cancel()
	return nil
}

// Positive: the cancel function is only used on one branch; the end of the
// function is reached without it.
func (s *Service) oneBranch(ctx context.Context, id string, quick bool) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout) // want "is not called on every path"
	if quick {
		defer cancel()
	}
	_, _ = s.store.Get(ctx, id)
}

// Quiet: deferred right away.
func (s *Service) deferred(ctx context.Context, id string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.store.Get(ctx, id)
}

// Quiet: returned to the caller, who owns it.
func (s *Service) returned(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	return ctx, cancel
}

// Quiet: stored in a field, directly or through a variable.
func (s *Service) start(ctx context.Context) context.Context {
	ctx, s.cancel = context.WithCancel(ctx)
	stopCtx, stop := context.WithCancel(ctx)
	s.stop = stop
	return stopCtx
}

// Quiet: handed to something that calls it later.
func (s *Service) handedOff(ctx context.Context, register func(func())) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	register(cancel)
	return ctx
}

// Quiet: called by a goroutine when the work is done.
func (s *Service) cancelledByGoroutine(ctx context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		<-done
		cancel()
	}()
	return ctx
}

// Quiet: declared first, assigned on both branches, deferred after.
func (s *Service) eitherBranch(ctx context.Context, id string) (string, error) {
	var cancel context.CancelFunc
	if s.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	return s.store.Get(ctx, id)
}

// Quiet: every case of the select calls it before returning; control never
// falls off the end.
func (s *Service) everyCase(ctx context.Context, a, b <-chan int) int {
	ctx, cancel := context.WithCancel(ctx)
	select {
	case v := <-a:
		cancel()
		return v
	case v := <-b:
		cancel()
		return v
	case <-ctx.Done():
		cancel()
		return 0
	}
}

// Quiet: the path without cancel ends the process.
func (s *Service) fatal(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	if _, err := s.store.Get(ctx, id); err != nil {
		log.Fatalf("get: %v", err)
	}
	cancel()
}

// Quiet: every loop exit calls it (break and return).
func (s *Service) loop(ctx context.Context, ids []string) error {
	ctx, cancel := context.WithCancel(ctx)
	for _, id := range ids {
		if _, err := s.store.Get(ctx, id); err != nil {
			cancel()
			return err
		}
	}
	cancel()
	return nil
}

// Quiet: a variable of the enclosing function, assigned in a closure; the
// enclosing function cancels it.
func (s *Service) outerVariable(ctx context.Context) error {
	var cancel context.CancelFunc = func() {}
	defer func() { cancel() }()
	retry := func() error {
		var c context.Context
		c, cancel = context.WithTimeout(ctx, s.timeout)
		_, err := s.store.Get(c, "x")
		return err
	}
	return errors.Join(retry(), retry())
}

// Quiet: a named result returned by a bare return.
func (s *Service) named(ctx context.Context) (c context.Context, cancel context.CancelFunc) {
	c, cancel = context.WithCancel(ctx)
	return
}

// Quiet: a getter hands back the stored context and its cancel func, which the
// Service owns; the caller has nothing to cancel.
func (s *Service) current() (context.Context, context.CancelFunc) {
	return s.ctx, s.cancel
}

func (s *Service) useCurrent(id string) error {
	ctx, _ := s.current()
	_, err := s.store.Get(ctx, id)
	return err
}

// Positive: a package function deriving a context through another one.
func withDeadline(ctx context.Context, at time.Time) (context.Context, context.CancelFunc) {
	return context.WithDeadline(ctx, at)
}

func withBudget(ctx context.Context) (context.Context, context.CancelFunc) {
	return withDeadline(ctx, time.Now().Add(time.Second))
}

func (s *Service) budgeted(ctx context.Context, id string) error {
	ctx, _ = withBudget(ctx) // want "the cancel function from withBudget is discarded"
	_, err := s.store.Get(ctx, id)
	return err
}
