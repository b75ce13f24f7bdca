package store

import (
	"context"

	"github.com/gocql/gocql"
)

type Event struct {
	Day  string
	ID   gocql.UUID
	Body string
}

type Events struct {
	session *gocql.Session
}

var mirrors = []string{"events_by_day", "events_by_id"}

func (s *Events) importAll(ctx context.Context, events []Event) error {
	b := s.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	for _, e := range events {
		b.Query(`INSERT INTO events (day, id, body) VALUES (?, ?, ?)`, e.Day, e.ID, e.Body) // want "logged batch b is filled in a loop"
		b.Query(`INSERT INTO events_by_id (id, body) VALUES (?, ?)`, e.ID, e.Body)
	}
	return s.session.ExecuteBatch(b)
}

func (s *Events) literal(ctx context.Context, events <-chan Event) error {
	batch := &gocql.Batch{}
	for e := range events {
		batch.Entries = append(batch.Entries, gocql.BatchEntry{ // want "logged batch batch is filled in a loop"
			Stmt: `INSERT INTO events (day, id, body) VALUES (?, ?, ?)`,
			Args: []interface{}{e.Day, e.ID, e.Body},
		})
	}
	return s.session.ExecuteBatch(batch.WithContext(ctx))
}

func (s *Events) unlogged(ctx context.Context, day string, ids []gocql.UUID) error {
	b := gocql.NewBatch(gocql.UnloggedBatch)
	for _, id := range ids {
		b.Query(`DELETE FROM events WHERE day = ? AND id = ?`, day, id) // want "batch b grows with the loop's input"
	}
	return s.session.ExecuteBatch(b.WithContext(ctx))
}

func (s *Events) counters(ctx context.Context, hits map[string]int) error {
	b := s.session.NewBatch(gocql.CounterBatch)
	for page, n := range hits {
		b.Query(`UPDATE hits SET n = n + ? WHERE page = ?`, n, page) // want "batch b grows"
	}
	return s.session.ExecuteBatch(b.WithContext(ctx))
}

// Quiet: a logged batch keeping two tables in sync (a fixed list).
func (s *Events) mirrored(ctx context.Context, e Event) error {
	b := s.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	for _, table := range mirrors {
		b.Query(`INSERT INTO `+table+` (day, id, body) VALUES (?, ?, ?)`, e.Day, e.ID, e.Body)
	}
	for _, table := range []string{"a", "b"} {
		b.Query(`DELETE FROM `+table+` WHERE id = ?`, e.ID)
	}
	return s.session.ExecuteBatch(b)
}

// Quiet: the batch is flushed every 100 statements.
func (s *Events) chunked(ctx context.Context, day string, ids []gocql.UUID) error {
	b := s.session.NewBatch(gocql.UnloggedBatch).WithContext(ctx)
	for _, id := range ids {
		b.Query(`DELETE FROM events WHERE day = ? AND id = ?`, day, id)
		if b.Size() >= 100 {
			if err := s.session.ExecuteBatch(b); err != nil {
				return err
			}
			b = s.session.NewBatch(gocql.UnloggedBatch).WithContext(ctx)
		}
	}
	return s.session.ExecuteBatch(b)
}

// Quiet: one unlogged batch per chunk.
func (s *Events) perChunk(ctx context.Context, day string, chunks [][]gocql.UUID) error {
	for _, chunk := range chunks {
		b := s.session.NewBatch(gocql.UnloggedBatch).WithContext(ctx)
		for _, id := range chunk {
			b.Query(`DELETE FROM events WHERE day = ? AND id = ?`, day, id)
		}
		if err := s.session.ExecuteBatch(b); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: a batch created in the loop, executed in the loop.
func (s *Events) each(ctx context.Context, events []Event) error {
	for _, e := range events {
		b := s.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
		b.Query(`INSERT INTO events (day, id, body) VALUES (?, ?, ?)`, e.Day, e.ID, e.Body)
		b.Query(`INSERT INTO events_by_id (id, body) VALUES (?, ?)`, e.ID, e.Body)
		if err := s.session.ExecuteBatch(b); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: the type is decided elsewhere.
func (s *Events) typed(ctx context.Context, kind gocql.BatchType, ids []gocql.UUID) error {
	b := s.session.NewBatch(kind).WithContext(ctx)
	for _, id := range ids {
		b.Query(`DELETE FROM events WHERE id = ?`, id)
	}
	return s.session.ExecuteBatch(b)
}
