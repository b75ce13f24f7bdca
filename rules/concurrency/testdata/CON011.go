// gobex:go 1.22

package consumer

import (
	"context"
	"errors"
	"time"

	t "time"
)

var errIdle = errors.New("idle")

type Consumer struct {
	msgs    chan string
	timeout time.Duration
}

func handle(string) {}

// Positive: a message loop with an idle timeout.
func (c *Consumer) Run() error {
	for {
		select {
		case msg := <-c.msgs:
			handle(msg)
		case <-time.After(c.timeout): // want `time.After in a loop starts a timer per iteration that stays alive until it fires`
			return errIdle
		}
	}
}

// Positive: a range loop, an aliased import, a timeout that only logs.
func drain(ctx context.Context, batches [][]string, out chan<- string) {
	for _, batch := range batches {
		for _, m := range batch {
			select {
			case out <- m:
			case <-t.After(time.Second): // want `time.After in a loop starts a timer per iteration`
				println("slow consumer")
			case <-ctx.Done():
				return
			}
		}
	}
}

// Positive: inside a goroutine started by a method.
func (c *Consumer) Watch(ctx context.Context) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-c.msgs:
				if !ok {
					return
				}
				handle(m)
			case v := <-time.After(c.timeout): // want `time.After in a loop starts a timer per iteration`
				println(v.String())
			}
		}
	}()
}

// Quiet: retry with backoff, the other case leaves the loop.
func retry(ctx context.Context, op func() error) error {
	for attempt := 0; attempt < 5; attempt++ {
		if err := op(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
	return errors.New("gave up")
}

// Quiet: not in a loop.
func (c *Consumer) Next() (string, error) {
	select {
	case m := <-c.msgs:
		return m, nil
	case <-time.After(c.timeout):
		return "", errIdle
	}
}

// Quiet: one reused timer.
func (c *Consumer) Reused() error {
	idle := time.NewTimer(c.timeout)
	defer idle.Stop()
	for {
		select {
		case msg := <-c.msgs:
			handle(msg)
			idle.Reset(c.timeout)
		case <-idle.C:
			return errIdle
		}
	}
}

// Quiet: an interruptible sleep; the done case fires once for good.
func (c *Consumer) Pace(done chan struct{}, work func() bool) {
	for work() {
		select {
		case <-time.After(c.timeout):
		case <-done:
		}
	}
}

// Quiet: a one-time signal, then the function returns.
func (c *Consumer) Ready(started chan struct{}, checks []func() bool) error {
	for _, check := range checks {
		if check() {
			if c.timeout > 0 {
				select {
				case <-started:
				case <-time.After(c.timeout):
					return errIdle
				}
			}
			return nil
		}
	}
	return errIdle
}

// Quiet: the other case clears the loop's condition, so the loop ends after
// it and at most one timer is abandoned. Shape of aws-sdk-go
// aws/credentials/processcreds/provider.go (`for !finished { select {...} }`).
func untilFinished(out <-chan []byte, timeout time.Duration) []byte {
	var data []byte
	finished := false
	for !finished {
		select {
		case b := <-out:
			data = b
			finished = true
		case <-time.After(timeout):
			return nil
		}
	}
	for running := true; running; {
		select {
		case b := <-out:
			data = append(data, b...)
			running = false
		case <-time.After(timeout):
			return nil
		}
	}
	return data
}

// Positive: the flag is set to the value that keeps the loop going.
func stillRunning(out <-chan []byte, timeout time.Duration) {
	for running := true; running; {
		select {
		case <-out:
			running = true
		case <-time.After(timeout): // want `time.After in a loop`
			return
		}
	}
}
