package repo

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jmoiron/sqlx"
)

type Event struct{ Kind string }

type Repo struct {
	db *sql.DB
	x  *sqlx.DB
}

func (r *Repo) insert(ctx context.Context, events []Event) error {
	stmt, err := r.db.PrepareContext(ctx, "INSERT INTO events (kind) VALUES ($1)") // want "statement from PrepareContext is never closed"
	if err != nil {
		return err
	}
	for _, e := range events {
		if _, err := stmt.ExecContext(ctx, e.Kind); err != nil {
			return err
		}
	}
	return nil
}

func (r *Repo) named(ctx context.Context, e Event) error {
	ns, err := r.x.PrepareNamedContext(ctx, "INSERT INTO events (kind) VALUES (:kind)") // want "statement from PrepareNamedContext is never closed"
	if err != nil {
		return err
	}
	_, err = ns.ExecContext(ctx, e)
	return err
}

func (r *Repo) early(ctx context.Context, ids []int64) error {
	st, err := r.x.Preparex("DELETE FROM events WHERE id = $1") // want "statement from Preparex is not closed on every path"
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := st.Exec(id); err != nil {
			return err
		}
	}
	return st.Close()
}

func (r *Repo) discarded() {
	r.db.Prepare("SELECT 1") // want "statement from Prepare is discarded and never closed"
}

// Quiet: closed with defer.
func (r *Repo) deferred(ctx context.Context, events []Event) error {
	stmt, err := r.db.PrepareContext(ctx, "INSERT INTO events (kind) VALUES ($1)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, e := range events {
		if _, err := stmt.ExecContext(ctx, e.Kind); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: prepared on a transaction, closed when it ends.
func (r *Repo) inTx(ctx context.Context, tx *sql.Tx, events []Event) error {
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO events (kind) VALUES ($1)")
	if err != nil {
		return err
	}
	for _, e := range events {
		if _, err := stmt.ExecContext(ctx, e.Kind); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: stored for the life of the repository.
type Prepared struct{ insert *sql.Stmt }

func (r *Repo) prepare(ctx context.Context) (*Prepared, error) {
	stmt, err := r.db.PrepareContext(ctx, "INSERT INTO events (kind) VALUES ($1)")
	if err != nil {
		return nil, err
	}
	return &Prepared{insert: stmt}, nil
}

// Quiet: pgx Prepare names a statement on the connection; nothing to close.
func pgxPrepare(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Prepare(ctx, "insert_event", "INSERT INTO events (kind) VALUES ($1)")
	return err
}
