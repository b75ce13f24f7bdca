// Package timeline keeps each order's event history in Cassandra.
//
//	CREATE TABLE order_events (
//	    order_id bigint,
//	    at       timestamp,
//	    kind     text,
//	    detail   text,
//	    PRIMARY KEY (order_id, at)
//	) WITH CLUSTERING ORDER BY (at DESC);
package timeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gocql/gocql"

	"github.com/gobex-dev/orders-example/internal/orders"
)

// ErrNoEvents is returned when an order has no timeline yet.
var ErrNoEvents = errors.New("timeline: no events for order")

// Store reads and appends timeline events.
type Store struct {
	session *gocql.Session
}

// NewStore returns a store over an open session.
func NewStore(session *gocql.Session) *Store {
	return &Store{session: session}
}

// Append records one event. Writing the same (order, at) twice overwrites
// it, so the insert is idempotent and may be retried.
func (s *Store) Append(ctx context.Context, ev orders.Event) error {
	err := s.session.Query(`INSERT INTO order_events (order_id, at, kind, detail) VALUES (?, ?, ?, ?)`,
		ev.OrderID, ev.At, ev.Kind, ev.Detail).WithContext(ctx).Idempotent(true).Exec()
	if err != nil {
		return fmt.Errorf("timeline: append %s for order %d: %w", ev.Kind, ev.OrderID, err)
	}
	return nil
}

// Events returns an order's events, newest first, at most limit of them.
func (s *Store) Events(ctx context.Context, orderID int64, limit int) ([]orders.Event, error) {
	iter := s.session.Query(`SELECT at, kind, detail FROM order_events WHERE order_id = ? LIMIT ?`,
		orderID, limit).WithContext(ctx).Iter()
	events := make([]orders.Event, 0, limit)
	ev := orders.Event{OrderID: orderID}
	for iter.Scan(&ev.At, &ev.Kind, &ev.Detail) {
		events = append(events, ev)
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("timeline: events of order %d: %w", orderID, err)
	}
	return events, nil
}

// LastEvent returns an order's most recent event, or ErrNoEvents.
func (s *Store) LastEvent(ctx context.Context, orderID int64) (orders.Event, error) {
	ev := orders.Event{OrderID: orderID}
	err := s.session.Query(`SELECT at, kind, detail FROM order_events WHERE order_id = ? LIMIT 1`,
		orderID).WithContext(ctx).Scan(&ev.At, &ev.Kind, &ev.Detail)
	if err == gocql.ErrNotFound {
		return orders.Event{}, ErrNoEvents
	}
	if err != nil {
		return orders.Event{}, fmt.Errorf("timeline: last event of order %d: %w", orderID, err)
	}
	return ev, nil
}

// FirstSeen returns when each of the given kinds first happened to an order
// (for example when it was created, when it was paid).
func (s *Store) FirstSeen(ctx context.Context, orderID int64, kinds ...string) (map[string]time.Time, error) {
	want := make(map[string]bool, len(kinds))
	for _, k := range kinds {
		want[k] = true
	}
	iter := s.session.Query(`SELECT at, kind FROM order_events WHERE order_id = ?`, orderID).WithContext(ctx).Iter()
	first := make(map[string]time.Time, len(kinds))
	var (
		at   time.Time
		kind string
	)
	for iter.Scan(&at, &kind) {
		if want[kind] {
			first[kind] = at // rows come newest first: the last one seen is the earliest
		}
	}
	return first, nil
}

// CountByKind counts an order's events per kind.
func (s *Store) CountByKind(ctx context.Context, orderID int64) (map[string]int, error) {
	scanner := s.session.Query(`SELECT kind FROM order_events WHERE order_id = ?`, orderID).WithContext(ctx).Iter().Scanner()
	counts := make(map[string]int)
	for scanner.Next() {
		var kind string
		if err := scanner.Scan(&kind); err != nil {
			return nil, fmt.Errorf("timeline: scan event kind: %w", err)
		}
		counts[kind]++
	}
	return counts, nil
}

// Kinds lists the distinct kinds of event an order has had.
func (s *Store) Kinds(ctx context.Context, orderID int64) ([]string, error) {
	scanner := s.session.Query(`SELECT kind FROM order_events WHERE order_id = ?`, orderID).WithContext(ctx).Iter().Scanner()
	seen := make(map[string]bool)
	var kinds []string
	for scanner.Next() {
		var kind string
		if err := scanner.Scan(&kind); err != nil {
			return nil, fmt.Errorf("timeline: scan event kind: %w", err)
		}
		if !seen[kind] {
			seen[kind] = true
			kinds = append(kinds, kind)
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("timeline: kinds of order %d: %w", orderID, err)
	}
	return kinds, nil
}
