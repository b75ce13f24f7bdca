package client

import (
	"context"
	"errors"
	"testing"
	"time"
)

type Item struct{ ID string }

type result struct {
	item *Item
	err  error
}

type Client struct {
	timeout time.Duration
	results chan result
}

func (c *Client) slowFetch(id string) (*Item, error) { return &Item{ID: id}, nil }

// Positive: the select gives up on ctx.Done().
func (c *Client) Fetch(ctx context.Context, id string) (*Item, error) {
	ch := make(chan result)
	go func() {
		item, err := c.slowFetch(id)
		ch <- result{item, err} // want `send on unbuffered ch blocks this goroutine forever when the receiver leaves through the ctx.Done\(\) case`
	}()
	select {
	case r := <-ch:
		return r.item, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Positive: time.After, with the timeout from a struct field.
func (c *Client) FetchWithTimeout(id string) (*Item, error) {
	var done = make(chan error)
	go func() {
		_, err := c.slowFetch(id)
		done <- err // want `send on unbuffered done blocks this goroutine forever when the receiver leaves through the time.After case`
	}()
	select {
	case err := <-done:
		return nil, err
	case <-time.After(c.timeout):
		return nil, errors.New("timeout")
	}
}

// Positive: a return between starting the goroutine and receiving.
func (c *Client) Both(ctx context.Context, a, b string) error {
	errc := make(chan error)
	go func() {
		_, err := c.slowFetch(a)
		errc <- err // want `send on unbuffered errc blocks this goroutine forever when the receiver leaves through this return`
	}()
	if _, err := c.slowFetch(b); err != nil {
		return err
	}
	return <-errc
}

// Positive: a timer case in a closure; several senders, so no fix.
func (c *Client) All(ids []string) func() int {
	return func() int {
		found := make(chan *Item)
		for _, id := range ids {
			go func(id string) {
				item, _ := c.slowFetch(id)
				found <- item // want `send on unbuffered found blocks this goroutine forever when the receiver leaves through the timer.C case`
			}(id)
		}
		timer := time.NewTimer(c.timeout)
		defer timer.Stop()
		n := 0
		for range ids {
			select {
			case <-found:
				n++
			case <-timer.C:
				return n
			}
		}
		return n
	}
}

// Positive: a default case that does not retry.
func (c *Client) Peek(id string) *Item {
	ch := make(chan *Item)
	go func() {
		item, _ := c.slowFetch(id)
		ch <- item // want `send on unbuffered ch blocks this goroutine forever when the receiver leaves through the default case`
	}()
	time.Sleep(time.Millisecond)
	select {
	case item := <-ch:
		return item
	default:
		return nil
	}
}

// Quiet: buffered with capacity 1.
func (c *Client) Buffered(ctx context.Context, id string) (*Item, error) {
	ch := make(chan result, 1)
	go func() {
		item, err := c.slowFetch(id)
		ch <- result{item, err}
	}()
	select {
	case r := <-ch:
		return r.item, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Quiet: the sender selects on ctx.Done() as well.
func (c *Client) SenderSelects(ctx context.Context, id string) (*Item, error) {
	ch := make(chan result)
	go func() {
		item, err := c.slowFetch(id)
		select {
		case ch <- result{item, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r.item, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Quiet: the receive always happens.
func (c *Client) Always(id string) (*Item, error) {
	ch := make(chan result)
	go func() {
		item, err := c.slowFetch(id)
		ch <- result{item, err}
	}()
	r := <-ch
	return r.item, r.err
}

// Quiet: the ticker case only logs and the loop retries the select.
func (c *Client) Retried(id string, tick *time.Ticker) *Item {
	ch := make(chan *Item)
	go func() {
		item, _ := c.slowFetch(id)
		ch <- item
	}()
	for {
		select {
		case item := <-ch:
			return item
		case <-tick.C:
			println("still waiting")
		}
	}
}

// Quiet: the channel is returned; the caller receives.
func (c *Client) Async(id string) <-chan *Item {
	ch := make(chan *Item)
	go func() {
		item, _ := c.slowFetch(id)
		ch <- item
	}()
	return ch
}

// Quiet: the return comes after the receive.
func (c *Client) Ordered(a string) error {
	errc := make(chan error)
	go func() {
		_, err := c.slowFetch(a)
		errc <- err
	}()
	if err := <-errc; err != nil {
		return err
	}
	return nil
}

// Quiet: the giving-up case interrupts the work and still receives.
func (c *Client) Interrupt(ctx context.Context, id string, interrupt func()) (*Item, error) {
	ch := make(chan result)
	go func() {
		item, err := c.slowFetch(id)
		ch <- result{item, err}
	}()
	var r result
	select {
	case r = <-ch:
	case <-ctx.Done():
		interrupt()
		r = <-ch
		if r.err != nil {
			return nil, ctx.Err()
		}
	}
	return r.item, r.err
}

// Quiet: the timeout fails the test; the goroutine leaks only then.
func TestFetch(t *testing.T) {
	c := &Client{}
	errc := make(chan error)
	go func() {
		_, err := c.slowFetch("a")
		errc <- err
	}()
	select {
	case <-time.After(time.Second):
		t.Fatal("Fetch did not return")
	case err := <-errc:
		if err != nil {
			t.Error(err)
		}
	}
}
