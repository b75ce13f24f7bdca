package repo

import (
	"context"

	pgx "github.com/jackc/pgx/v5"
	pool "github.com/jackc/pgx/v5/pgxpool"
)

type Events struct {
	pool *pool.Pool
}

type Event struct {
	ID   int64
	Kind string
}

func (e *Events) kinds(ctx context.Context) (map[string]int, error) {
	rows, err := e.pool.Query(ctx, "SELECT kind FROM events")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() { // want "rows.Err\\(\\) is never checked"
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		counts[k]++
	}
	return counts, nil
}

// No fix: the function cannot return the error.
func (e *Events) printAll(ctx context.Context, out func(Event)) {
	rows, _ := e.pool.Query(ctx, "SELECT id, kind FROM events")
	defer rows.Close()
	for rows.Next() { // want "rows.Err\\(\\) is never checked"
		var ev Event
		if rows.Scan(&ev.ID, &ev.Kind) == nil {
			out(ev)
		}
	}
}

// Quiet: pgx.ForEachRow reads the rows and returns their error.
func (e *Events) sum(ctx context.Context) (int64, error) {
	rows, _ := e.pool.Query(ctx, "SELECT id FROM events")
	var total, id int64
	_, err := pgx.ForEachRow(rows, []any{&id}, func() error {
		total += id
		return nil
	})
	return total, err
}

// Quiet: CollectRows closes the rows and returns their error.
func (e *Events) ids(ctx context.Context) ([]int64, error) {
	rows, _ := e.pool.Query(ctx, "SELECT id FROM events")
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// Quiet: v5 documents Err after Close; a loop that ends closes the rows.
func (e *Events) last(ctx context.Context) (Event, error) {
	rows, err := e.pool.Query(ctx, "SELECT id, kind FROM events")
	if err != nil {
		return Event{}, err
	}
	defer rows.Close()
	var ev Event
	for rows.Next() {
		if err := rows.Scan(&ev.ID, &ev.Kind); err != nil {
			return Event{}, err
		}
	}
	if err := rows.Err(); err != nil {
		return Event{}, err
	}
	return ev, nil
}
