// Package orders is a typical HTTP handler file of a Go backend service: JSON
// over net/http, PostgreSQL through database/sql, context deadlines, errors.
// bench/lsp_latency.py types into it; it is not compiled.
package orders

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Order is one customer order.
type Order struct {
	ID         int64     `json:"id"`
	CustomerID int64     `json:"customer_id"`
	Status     string    `json:"status"`
	TotalCents int64     `json:"total_cents"`
	CreatedAt  time.Time `json:"created_at"`
	Items      []Item    `json:"items,omitempty"`
}

// Item is one line of an order.
type Item struct {
	SKU        string `json:"sku"`
	Quantity   int    `json:"quantity"`
	PriceCents int64  `json:"price_cents"`
}

// ErrNotFound is returned when an order does not exist.
var ErrNotFound = errors.New("order not found")

// Store reads and writes orders.
type Store struct {
	db      *sql.DB
	timeout time.Duration
}

// NewStore returns a Store over db.
func NewStore(db *sql.DB) *Store {
	return &Store{db: db, timeout: 2 * time.Second}
}

// Get returns one order with its items.
func (s *Store) Get(ctx context.Context, id int64) (*Order, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var o Order
	err := s.db.QueryRowContext(ctx,
		"SELECT id, customer_id, status, total_cents, created_at FROM orders WHERE id = $1", id,
	).Scan(&o.ID, &o.CustomerID, &o.Status, &o.TotalCents, &o.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get order %d: %w", id, err)
	}
	items, err := s.items(ctx, id)
	if err != nil {
		return nil, err
	}
	o.Items = items
	return &o, nil
}

func (s *Store) items(ctx context.Context, orderID int64) ([]Item, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT sku, quantity, price_cents FROM order_items WHERE order_id = $1", orderID)
	if err != nil {
		return nil, fmt.Errorf("items of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var items []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.SKU, &it.Quantity, &it.PriceCents); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// List returns the orders of a customer, newest first.
func (s *Store) List(ctx context.Context, customerID int64, limit int) ([]Order, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT id, customer_id, status, total_cents, created_at FROM orders "+
			"WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2", customerID, limit)
	if err != nil {
		return nil, err
	}
	var orders []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.CustomerID, &o.Status, &o.TotalCents, &o.CreatedAt); err != nil {
			return nil, err
		}
		orders = append(orders, o)
	}
	return orders, nil
}

// Create inserts an order and its items in one transaction.
func (s *Store) Create(ctx context.Context, o *Order) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx,
		"INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, $2, $3) RETURNING id, created_at",
		o.CustomerID, "new", o.TotalCents,
	).Scan(&o.ID, &o.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert order: %v", err)
	}
	for _, it := range o.Items {
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO order_items (order_id, sku, quantity, price_cents) VALUES ($1, $2, $3, $4)",
			o.ID, it.SKU, it.Quantity, it.PriceCents); err != nil {
			return fmt.Errorf("insert item %s: %w", it.SKU, err)
		}
	}
	return tx.Commit()
}

// Cancel marks an order cancelled unless it has shipped.
func (s *Store) Cancel(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx,
		"UPDATE orders SET status = 'cancelled' WHERE id = $1 AND status <> 'shipped'", id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Handler serves the orders API.
type Handler struct {
	store  *Store
	logger *slog.Logger
}

// NewHandler returns the HTTP handler of the orders API.
func NewHandler(store *Store, logger *slog.Logger) *Handler {
	return &Handler{store: store, logger: logger}
}

// Routes registers the handler's routes on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /orders/{id}", h.get)
	mux.HandleFunc("GET /customers/{id}/orders", h.list)
	mux.HandleFunc("POST /orders", h.create)
	mux.HandleFunc("POST /orders/{id}/cancel", h.cancel)
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, "bad order id")
		return
	}
	order, err := h.store.Get(r.Context(), id)
	if err == ErrNotFound {
		h.fail(w, r, http.StatusNotFound, "no such order")
		return
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.json(w, http.StatusOK, order)
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	customer, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, "bad customer id")
		return
	}
	limit := 50
	if raw := r.URL.Query().Get("limit"); raw != "" {
		limit, err = strconv.Atoi(raw)
		if err != nil || limit <= 0 || limit > 500 {
			h.fail(w, r, http.StatusBadRequest, "limit must be 1..500")
			return
		}
	}
	orders, err := h.store.List(r.Context(), customer, limit)
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.json(w, http.StatusOK, orders)
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	var o Order
	decoder := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&o); err != nil {
		h.fail(w, r, http.StatusBadRequest, "invalid order: "+err.Error())
		return
	}
	if problems := validate(&o); len(problems) > 0 {
		h.fail(w, r, http.StatusUnprocessableEntity, strings.Join(problems, "; "))
		return
	}
	if err := h.store.Create(r.Context(), &o); err != nil {
		h.error(w, r, err)
		return
	}
	h.json(w, http.StatusCreated, o)
}

func (h *Handler) cancel(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, "bad order id")
		return
	}
	switch err := h.store.Cancel(r.Context(), id); {
	case errors.Is(err, ErrNotFound):
		h.fail(w, r, http.StatusConflict, "order not found or already shipped")
	case err != nil:
		h.error(w, r, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func validate(o *Order) []string {
	var problems []string
	if o.CustomerID <= 0 {
		problems = append(problems, "customer_id is required")
	}
	if len(o.Items) == 0 {
		problems = append(problems, "an order needs items")
	}
	var total int64
	for i, it := range o.Items {
		if it.Quantity <= 0 {
			problems = append(problems, fmt.Sprintf("item %d: quantity must be positive", i))
		}
		if it.SKU == "" {
			problems = append(problems, fmt.Sprintf("item %d: sku is required", i))
		}
		total += int64(it.Quantity) * it.PriceCents
	}
	if total != o.TotalCents {
		problems = append(problems, "total_cents does not match the items")
	}
	return problems
}

func (h *Handler) json(w http.ResponseWriter, status int, value any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(value)
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, message string) {
	h.logger.InfoContext(r.Context(), "request failed", "path", r.URL.Path, "status", status)
	h.json(w, status, map[string]string{"error": message})
}

func (h *Handler) error(w http.ResponseWriter, r *http.Request, err error) {
	h.logger.ErrorContext(r.Context(), "internal error", "path", r.URL.Path, "err", err)
	h.json(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
}

// Serve runs the API until ctx is done.
func Serve(ctx context.Context, addr string, h *Handler) error {
	mux := http.NewServeMux()
	h.Routes(mux)
	server := &http.Server{Addr: addr, Handler: mux}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		server.Shutdown(shutdown)
	}()
	if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}
