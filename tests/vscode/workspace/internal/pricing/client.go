// Package pricing asks the pricing service for current prices.
package pricing

import (
	"context"
	"encoding/json"
	"net/http"
)

// Client talks to the pricing service.
type Client struct {
	HTTP *http.Client
	Base string
}

// Price returns the price of sku in cents.
func (c *Client) Price(ctx context.Context, sku string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+"/prices/"+sku, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	var body struct{ Cents int }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	return body.Cents, nil
}
