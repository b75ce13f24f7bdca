package service

import (
	"context"
	"errors"
	"time"
)

type Job struct {
	timeout time.Duration
	run     func(context.Context) error
}

// Positive: a switch case returns before the cancel call.
func (j *Job) switchCase(ctx context.Context, mode int) error {
	ctx, cancel := context.WithTimeout(ctx, j.timeout) // want "is not called on every path"
	switch mode {
	case 0:
		return errors.New("mode 0")
	case 1:
		cancel()
	default:
		cancel()
	}
	return j.run(ctx)
}

// Positive: `break` leaves the loop on a path that skips cancel.
func (j *Job) breakOut(ctx context.Context, tries int) error {
	ctx, cancel := context.WithCancel(ctx) // want "is not called on every path"
	for i := 0; i < tries; i++ {
		if err := j.run(ctx); err == nil {
			break
		}
		if i == tries-1 {
			cancel()
			return errors.New("gave up")
		}
	}
	return nil
}

// Positive: a labeled continue skips the cancel at the end of the loop body.
func (j *Job) labeled(ctx context.Context, groups [][]int) {
outer:
	for _, group := range groups {
		c, cancel := context.WithCancel(ctx) // want "is not called on every path"
		for _, n := range group {
			if n < 0 {
				continue outer
			}
		}
		_ = j.run(c)
		cancel()
	}
}

// Positive: the cancel is only deferred inside a func literal that may never run.
func (j *Job) laterMaybe(ctx context.Context) func() {
	ctx, cancel := context.WithCancel(ctx) // want "is not called on every path"
	if j.run(ctx) != nil {
		return nil
	}
	return func() { cancel() }
}

// Quiet: fallthrough carries control into the clause that cancels.
func (j *Job) fallthroughCase(ctx context.Context, mode int) error {
	ctx, cancel := context.WithTimeout(ctx, j.timeout)
	switch mode {
	case 0:
		fallthrough
	case 1:
		cancel()
		return nil
	default:
		defer cancel()
	}
	return j.run(ctx)
}

// Quiet: an infinite loop left only by returns that cancel.
func (j *Job) poll(ctx context.Context, ticks <-chan time.Time) error {
	ctx, cancel := context.WithCancel(ctx)
	for {
		select {
		case <-ticks:
			if err := j.run(ctx); err != nil {
				cancel()
				return err
			}
		case <-ctx.Done():
			cancel()
			return ctx.Err()
		}
	}
}

// Quiet: the type switch cancels in every clause, and panics in the default.
func (j *Job) typeSwitch(ctx context.Context, v any) error {
	ctx, cancel := context.WithCancel(ctx)
	switch v.(type) {
	case int:
		cancel()
	case string:
		defer cancel()
	default:
		panic("unexpected type")
	}
	return j.run(ctx)
}

// Quiet: goto is beyond the structured walk, so nothing is said.
func (j *Job) withGoto(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	if j.run(ctx) != nil {
		goto fail
	}
	cancel()
	return nil
fail:
	return errors.New("failed")
}

// Quiet: the condition uses it (vet counts any use, so does this rule).
func (j *Job) checked(ctx context.Context) error {
	var cancel context.CancelFunc
	if j.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, j.timeout)
	}
	err := j.run(ctx)
	if cancel != nil {
		cancel()
	}
	return err
}
