// Package api is the orders service's HTTP API.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gobex-dev/orders-example/internal/audit"
	"github.com/gobex-dev/orders-example/internal/orders"
	"github.com/gobex-dev/orders-example/internal/payments"
	"github.com/gobex-dev/orders-example/internal/postgres"
)

// OrderStore is the order repository (postgres.OrderRepo).
type OrderStore interface {
	Get(ctx context.Context, id int64) (orders.Order, error)
	ListByCustomer(ctx context.Context, customerID int64, limit int) ([]orders.Order, error)
	Create(ctx context.Context, o *orders.Order) error
	MarkPaid(ctx context.Context, id int64) error
}

// CustomerStore reads customers (postgres.CustomerStore).
type CustomerStore interface {
	Get(ctx context.Context, id int64) (postgres.Customer, error)
}

// Timeline is the order event history (timeline.Store).
type Timeline interface {
	Append(ctx context.Context, ev orders.Event) error
	Events(ctx context.Context, orderID int64, limit int) ([]orders.Event, error)
}

// Publisher publishes order events (events.Publisher).
type Publisher interface {
	Publish(ctx context.Context, ev orders.Event) error
}

// Payments charges orders (payments.Client).
type Payments interface {
	Charge(ctx context.Context, req payments.ChargeRequest) (payments.Charge, error)
}

// AuditLog records who did what (audit.Log).
type AuditLog interface {
	Record(r audit.Record) error
}

// Handler serves the API.
type Handler struct {
	Orders    OrderStore
	Customers CustomerStore
	Timeline  Timeline
	Events    Publisher
	Payments  Payments
	Audit     AuditLog
	Log       *slog.Logger

	// ChargeTimeout bounds a call to the payment provider.
	ChargeTimeout time.Duration
}

// Routes returns the API's handler.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/orders", h.createOrder)
	mux.HandleFunc("/orders/", h.order)
	mux.HandleFunc("/customers/", h.customerOrders)
	return mux
}

func (h *Handler) createOrder(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var req struct {
		CustomerID  int64  `json:"customer_id"`
		AmountCents int64  `json:"amount_cents"`
		Currency    string `json:"currency"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		http.Error(w, "invalid JSON body", http.StatusBadRequest)
		return
	}
	if req.AmountCents <= 0 || len(req.Currency) != 3 {
		http.Error(w, "amount_cents must be positive and currency an ISO 4217 code", http.StatusUnprocessableEntity)
		return
	}
	ctx := r.Context()
	if _, err := h.Customers.Get(ctx, req.CustomerID); err != nil {
		if errors.Is(err, postgres.ErrCustomerNotFound) {
			http.Error(w, "unknown customer", http.StatusUnprocessableEntity)
			return
		}
		h.internalError(w, r, err)
		return
	}

	o := orders.Order{CustomerID: req.CustomerID, AmountCents: req.AmountCents, Currency: strings.ToUpper(req.Currency)}
	if err := h.Orders.Create(ctx, &o); err != nil {
		h.internalError(w, r, err)
		return
	}
	if err := h.recordEvent(ctx, o.ID, "order.created"); err != nil {
		h.Log.Warn("order created without event", "order", o.ID, "err", err)
	}
	h.writeJSON(w, http.StatusCreated, o)
}

// order serves /orders/{id} and /orders/{id}/{action}.
func (h *Handler) order(w http.ResponseWriter, r *http.Request) {
	idText, action, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/orders/"), "/")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch {
	case action == "" && r.Method == http.MethodGet:
		h.getOrder(w, r, id)
	case action == "pay" && r.Method == http.MethodPost:
		h.payOrder(w, r, id)
	case action == "events" && r.Method == http.MethodGet:
		h.orderEvents(w, r, id)
	default:
		http.NotFound(w, r)
	}
}

func (h *Handler) getOrder(w http.ResponseWriter, r *http.Request, id int64) {
	o, err := h.Orders.Get(r.Context(), id)
	if err == orders.ErrNotFound {
		http.Error(w, "order not found", http.StatusNotFound)
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.writeJSON(w, http.StatusOK, o)
}

func (h *Handler) payOrder(w http.ResponseWriter, r *http.Request, id int64) {
	o, err := h.Orders.Get(r.Context(), id)
	if errors.Is(err, orders.ErrNotFound) {
		http.Error(w, "order not found", http.StatusNotFound)
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	if o.Status != orders.StatusPending {
		http.Error(w, fmt.Sprintf("order is %s", o.Status), http.StatusConflict)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), h.ChargeTimeout)
	defer cancel()
	charge, err := h.Payments.Charge(ctx, payments.ChargeRequest{OrderID: o.ID, AmountCents: o.AmountCents, Currency: o.Currency})
	if err != nil {
		h.Log.Error("charge failed", "order", o.ID, "err", err)
		http.Error(w, "payment provider unavailable, retry later", http.StatusBadGateway)
		return
	}
	if charge.Status != "succeeded" {
		http.Error(w, "payment "+charge.Status, http.StatusPaymentRequired)
		return
	}
	if err := h.Orders.MarkPaid(ctx, o.ID); err != nil && !errors.Is(err, orders.ErrNotFound) {
		// Charged but not recorded: the reconciler will mark it paid later.
		h.Log.Error("charged order not marked paid", "order", o.ID, "charge", charge.ID, "err", err)
	}
	h.recordEvent(ctx, o.ID, "order.paid")
	if err := h.Audit.Record(audit.Record{Actor: r.Header.Get("X-User"), Action: "pay", OrderID: o.ID, At: time.Now().UTC()}); err != nil {
		h.Log.Warn("audit record lost", "order", o.ID, "err", err)
	}
	o.Status = orders.StatusPaid
	h.writeJSON(w, http.StatusOK, o)
}

func (h *Handler) orderEvents(w http.ResponseWriter, r *http.Request, id int64) {
	limit := 50
	if text := r.URL.Query().Get("limit"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n <= 0 || n > 500 {
			http.Error(w, "limit must be between 1 and 500", http.StatusBadRequest)
			return
		}
		limit = n
	}
	events, err := h.Timeline.Events(r.Context(), id, limit)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.writeJSON(w, http.StatusOK, events)
}

// customerOrders serves GET /customers/{id}/orders.
func (h *Handler) customerOrders(w http.ResponseWriter, r *http.Request) {
	idText, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/customers/"), "/orders")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	list, err := h.Orders.ListByCustomer(r.Context(), id, 100)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.writeJSON(w, http.StatusOK, list)
}

// recordEvent appends an event to the order's timeline and publishes it.
func (h *Handler) recordEvent(ctx context.Context, orderID int64, kind string) error {
	ev := orders.Event{OrderID: orderID, Kind: kind, At: time.Now().UTC()}
	if err := h.Timeline.Append(ctx, ev); err != nil {
		return err
	}
	return h.Events.Publish(ctx, ev)
}

func (h *Handler) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		// The status line is gone already; all that is left is to log.
		h.Log.Warn("response not written", "err", err)
	}
}

func (h *Handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	h.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
