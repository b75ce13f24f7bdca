// Package payments is a client for the payment provider's REST API.
package payments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ErrNoCharge is returned when the provider has no charge for an order.
var ErrNoCharge = errors.New("payments: no charge for order")

// Client calls the payment provider. It is safe for concurrent use.
type Client struct {
	baseURL string
	apiKey  string
	http    *http.Client
}

// NewClient returns a client for the provider at baseURL.
func NewClient(baseURL, apiKey string) *Client {
	return &Client{
		baseURL: baseURL,
		apiKey:  apiKey,
		http:    &http.Client{Timeout: 10 * time.Second},
	}
}

// ChargeRequest asks the provider to charge a customer for an order.
type ChargeRequest struct {
	OrderID     int64  `json:"order_id"`
	AmountCents int64  `json:"amount_cents"`
	Currency    string `json:"currency"`
}

// Charge is the provider's view of a charge.
type Charge struct {
	ID      string `json:"id"`
	OrderID int64  `json:"order_id"`
	Status  string `json:"status"` // "succeeded", "pending" or "failed"
}

// Charge charges an order. The order id is the idempotency key, so retrying
// after a timeout never charges twice.
func (c *Client) Charge(ctx context.Context, req ChargeRequest) (Charge, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return Charge{}, fmt.Errorf("payments: encode charge: %w", err)
	}
	httpReq, err := c.newRequest(ctx, http.MethodPost, "/v1/charges", bytes.NewReader(body))
	if err != nil {
		return Charge{}, err
	}
	httpReq.Header.Set("Content-Type", "application/json")
	httpReq.Header.Set("Idempotency-Key", "order-"+strconv.FormatInt(req.OrderID, 10))

	resp, err := c.http.Do(httpReq)
	if err != nil {
		return Charge{}, fmt.Errorf("payments: charge order %d: %v", req.OrderID, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return Charge{}, statusError("charge", resp)
	}
	var ch Charge
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
		return Charge{}, fmt.Errorf("payments: decode charge: %w", err)
	}
	return ch, nil
}

// ChargeForOrder returns the charge the provider holds for an order, or ErrNoCharge.
func (c *Client) ChargeForOrder(ctx context.Context, orderID int64) (Charge, error) {
	query := url.Values{"order_id": {strconv.FormatInt(orderID, 10)}}
	req, err := c.newRequest(ctx, http.MethodGet, "/v1/charges?"+query.Encode(), nil)
	if err != nil {
		return Charge{}, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Charge{}, fmt.Errorf("payments: charge of order %d: %w", orderID, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return Charge{}, ErrNoCharge
	default:
		return Charge{}, statusError("charge lookup", resp)
	}
	var ch Charge
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
		return Charge{}, fmt.Errorf("payments: decode charge: %w", err)
	}
	return ch, nil
}

// Refund refunds a charge in full.
func (c *Client) Refund(ctx context.Context, chargeID string) error {
	req, err := c.newRequest(ctx, http.MethodPost, "/v1/charges/"+url.PathEscape(chargeID)+"/refund", nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("payments: refund %s: %w", chargeID, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("payments: refund %s: unexpected status %s", chargeID, resp.Status)
	}
	return nil
}

// Ping checks that the provider is reachable and our key is accepted.
func (c *Client) Ping(ctx context.Context) error {
	req, err := c.newRequest(ctx, http.MethodGet, "/v1/ping", nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	defer resp.Body.Close()
	if err != nil {
		return fmt.Errorf("payments: ping: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("payments: ping: unexpected status %s", resp.Status)
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, body)
	if err != nil {
		return nil, fmt.Errorf("payments: build %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// statusError describes an unexpected response, with the start of its body.
// The caller still owns (and closes) resp.Body.
func statusError(op string, resp *http.Response) error {
	detail, err := io.ReadAll(io.LimitReader(resp.Body, 512))
	if err != nil || len(detail) == 0 {
		return fmt.Errorf("payments: %s: unexpected status %s", op, resp.Status)
	}
	return fmt.Errorf("payments: %s: unexpected status %s: %s", op, resp.Status, bytes.TrimSpace(detail))
}
