package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	nethttp "net/http"
	"strings"
)

type Client struct {
	http *http.Client
	base string
}

type User struct{ Name string }

// --- Positives -------------------------------------------------------------

// Aliased import, the body is never closed.
func fetchAliased(url string) ([]byte, error) {
	resp, err := nethttp.Get(url) // want "response body from Get is never closed"
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// A client held in a struct field; the bad-status return leaks.
func (c *Client) User(ctx context.Context, id string) (*User, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/users/"+id, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req) // want `response body from Do is not closed on every path \(resp.Body.Close\(\) is skipped\)`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get user %s: %s", id, resp.Status)
	}
	defer resp.Body.Close()
	var u User
	return &u, json.NewDecoder(resp.Body).Decode(&u)
}

// http.DefaultClient, no error check at all.
func post(url string) int {
	resp, _ := http.DefaultClient.Post(url, "text/plain", strings.NewReader("x")) // want "response body from Post is never closed"
	return resp.StatusCode
}

// A local helper hands over an open response.
func (c *Client) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	return c.http.Do(req)
}

func (c *Client) Ping(ctx context.Context) error {
	resp, err := c.get(ctx, "/ping") // want "response body from get is never closed"
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ping: %s", resp.Status)
	}
	return nil
}

// Inside a closure.
func fetchAll(urls []string) error {
	fetch := func(u string) error {
		resp, err := http.Get(u) // want "response body from Get is never closed"
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	for _, u := range urls {
		if err := fetch(u); err != nil {
			return err
		}
	}
	return nil
}

// Responses thrown away.
func (c *Client) fireAndForget(url string) error {
	http.Post(url, "text/plain", nil) // want "response from Post is discarded and its body never closed"
	req, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	_, err = c.http.Do(req) // want "response from Do is discarded and its body never closed"
	if err != nil {
		return err
	}
	return nil
}

// The deferred close dereferences a nil response when the request fails.
func premature(url string) error {
	resp, err := http.Get(url)
	defer resp.Body.Close() // want `defer uses resp before err is checked \(resp is nil when Get fails\)`
	if err != nil {
		return err
	}
	return nil
}

// A `continue` in the loop skips the close.
func statuses(urls []string) []int {
	var codes []int
	for _, u := range urls {
		resp, err := http.Head(u + "/health")
		if err != nil {
			continue
		}
		codes = append(codes, resp.StatusCode)
		full, err := http.Get(u) // want `response body from Get is not closed on every path \(full.Body.Close\(\) is skipped\)`
		if err != nil {
			continue
		}
		if full.StatusCode >= 500 {
			continue
		}
		full.Body.Close()
	}
	return codes
}

// Only the status code is handed to a local assertion helper: the body leaks.
func checkOK(url string) {
	resp, err := http.Get(url) // want "response body from Get is never closed"
	if err != nil {
		log.Fatal(err)
	}
	expectStatus(resp.StatusCode, http.StatusOK)
}

func expectStatus(got, want int) {
	if got != want {
		log.Printf("status %d, want %d", got, want)
	}
}

// --- Negatives -------------------------------------------------------------

// Quiet: the usual idiom.
func fetchDeferred(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Quiet: closed in a deferred closure.
func fetchClosure(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}()
	return nil
}

// Quiet: the response is returned; the caller owns the body.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		resp.Body.Close()
		return nil, fmt.Errorf("server error: %s", resp.Status)
	}
	return resp, nil
}

// Quiet: handed to local helpers that close it.
func fetchHelpers(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return decode(resp)
}

func fetchBodyHelper(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer closeQuietly(resp.Body)
	return nil
}

func decode(resp *http.Response) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(&User{})
}

func closeQuietly(c io.Closer) { _ = c.Close() }

// Quiet: closed explicitly before every way out.
func (c *Client) explicit(url string) error {
	resp, err := c.http.Get(url)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("status %s", resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

// Quiet: `return resp.Body.Close()` closes on the way out.
func explicitReturn(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Quiet: the nil-checked defer before the error check (covers redirect failures).
func nilChecked(url string) error {
	resp, err := http.Get(url)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return err
	}
	return nil
}

// Quiet: closed on the success branch of an error check further down.
func successBranch(url string) string {
	resp, err := http.Get(url)
	var got string
	if err != nil {
		got = err.Error()
	} else {
		got = resp.Header.Get("X-Result")
		resp.Body.Close()
	}
	return got
}

// Quiet: closed under `if resp != nil && resp.Body != nil`.
func guardedClose(url string) {
	resp, _ := http.Get(url)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
}

// Quiet: a HEAD response has no body.
func (c *Client) exists(ctx context.Context, url string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

// Quiet: the request is expected to fail.
func expectFailure(url string) error {
	_, err := http.Get(url)
	if err == nil {
		return fmt.Errorf("GET %s: want an error", url)
	}
	return nil
}

// Quiet: a local wrapper that reads and closes the body itself.
func (c *Client) fetch(url string) (*http.Response, []byte, error) {
	resp, err := c.http.Get(url)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func (c *Client) Version(url string) (string, error) {
	resp, body, err := c.fetch(url)
	if err != nil {
		return "", err
	}
	return resp.Header.Get("X-Version") + string(body), nil
}

// Quiet: a named result with a bare return hands the response to the caller.
func named(url string) (resp *http.Response, err error) {
	resp, err = http.Get(url)
	return
}

// Quiet: a retry loop, closed after it.
func (c *Client) retry(req *http.Request) error {
	var resp *http.Response
	var err error
	for i := 0; i < 3; i++ {
		resp, err = c.http.Do(req)
		if err == nil {
			break
		}
	}
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

// Quiet: stored in a struct that closes it later.
type stream struct{ resp *http.Response }

func open(url string) (*stream, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return &stream{resp: resp}, nil
}
