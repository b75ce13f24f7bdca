package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	nethttp "net/http"
	"net/url"

	"example.com/cache"
)

type API interface {
	Do(ctx context.Context, req *nethttp.Request) (*nethttp.Response, []byte, error)
}

type Client struct {
	hc  *nethttp.Client
	api API
}

// --- Positives (shapes seen in real code) ------------------------------------

// The deferred close is before the error check, on a client held in a field.
func (c *Client) early(u string) error {
	resp, err := c.hc.Get(u)
	defer resp.Body.Close() // want `defer uses resp before err is checked \(resp is nil when Get fails\)`
	if err != nil {
		return err
	}
	return nil
}

// Same, but the error branch does not leave: no automatic fix.
func earlyNoExit(u string) {
	resp, err := nethttp.Get(u)
	defer resp.Body.Close() // want `defer uses resp before err is checked`
	if err != nil {
		log.Print(err)
	}
}

// A status check returns before the close; its message only reads the response.
func statusFirst(u string) error {
	res, err := nethttp.Get(u) // want `response body from Get is not closed on every path`
	if err != nil {
		return err
	}
	if res.StatusCode != nethttp.StatusOK {
		return fmt.Errorf("bad GET status for %s: %s", u, res.Status)
	}
	defer res.Body.Close()
	_, err = io.ReadAll(res.Body)
	return err
}

// The error check is in the if statement itself: no place for an automatic fix.
func (c *Client) post(req *nethttp.Request) (err error) {
	var resp *nethttp.Response
	if resp, err = c.hc.Do(req); err != nil { // want "response body from Do is never closed"
		return
	}
	if resp.StatusCode != nethttp.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return
}

// A success-path discard in a closure.
func (c *Client) notify(urls []string) {
	send := func(u string) error {
		_, err := c.hc.Get(u) // want "response from Get is discarded and its body never closed"
		if err != nil {
			return err
		}
		return nil
	}
	for _, u := range urls {
		_ = send(u)
	}
}

// --- Negatives (false-positive shapes seen in real code) ---------------------

// Quiet: `if res.Body != nil { res.Body.Close() }` closes unconditionally.
func (c *Client) export(req *nethttp.Request) {
	res, err := c.hc.Do(req)
	if err != nil {
		log.Printf("export failed: %v", err)
		return
	}
	if res.Body != nil {
		res.Body.Close()
	}
}

// Quiet: the success branch closes and leaves; after it err is not nil.
func (c *Client) wantFailure(req *nethttp.Request) error {
	res, err := c.hc.Do(req)
	if err == nil {
		res.Body.Close()
		return errors.New("unexpected successful request")
	}
	if !errors.Is(err, context.Canceled) {
		return fmt.Errorf("error = %v; want context.Canceled", err)
	}
	return nil
}

// Quiet: the expected failure is a specific error, checked further down.
func (c *Client) expectTimeout(post bool) error {
	var err error
	if post {
		_, err = c.hc.Post("https://example.test/", "text/plain", nil)
	} else {
		_, err = c.hc.Get("https://example.test/")
	}
	if !isTimeout(err) {
		return fmt.Errorf("want a timeout, got %v", err)
	}
	return nil
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// Quiet: a test-style assertion expects the error.
func (c *Client) rejects(u string) {
	_, err := c.hc.Get(u)
	assertError(err)
}

func assertError(err error) {
	if err == nil {
		log.Fatal("want an error")
	}
}

// Quiet: a local helper that reads and closes the body returns the text too
// (chi's testRequest).
func request(hc *nethttp.Client, u string) (*nethttp.Response, string) {
	resp, err := hc.Get(u)
	if err != nil {
		return nil, ""
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, ""
	}
	defer resp.Body.Close()
	return resp, string(body)
}

func (c *Client) status(u string) int {
	resp, _ := request(c.hc, u)
	return resp.StatusCode
}

// Quiet: an interface method that returns the body's bytes with the response.
func (c *Client) alerts(ctx context.Context, req *nethttp.Request) ([]byte, error) {
	_, body, err := c.api.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return body, nil
}

// Quiet: a HEAD request has no body to close.
func (c *Client) exists(u *url.URL) bool {
	resp, err := c.hc.Head(u.String())
	if err != nil {
		return false
	}
	return resp.StatusCode == nethttp.StatusOK
}

// Quiet: the variable first held a response of an unknown type, then a
// modelled one that is closed.
func reused(u string) error {
	res, err := cache.Read(u)
	if err != nil {
		return err
	}
	log.Print(res.StatusCode)
	res, err = nethttp.Get(u)
	if err != nil {
		return err
	}
	res.Body.Close()
	return nil
}

// Quiet: a response assigned to a named result in a closure is returned.
func fetcher(hc *nethttp.Client) func(string) (*nethttp.Response, error) {
	return func(u string) (res *nethttp.Response, err error) {
		res, err = hc.Get(u)
		return
	}
}

// Quiet: the previous attempt's body is closed at the top of the next iteration,
// the last one after the loop.
func (c *Client) retryBody(req *nethttp.Request) error {
	var resp *nethttp.Response
	var err error
	for i := 0; i < 3; i++ {
		if resp != nil {
			resp.Body.Close()
		}
		resp, err = c.hc.Do(req)
		if err == nil && resp.StatusCode < 500 {
			break
		}
	}
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}
