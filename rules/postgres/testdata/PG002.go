package repo

import (
	"context"
	sq "database/sql"

	"github.com/jackc/pgx/v4"
	"github.com/jackc/pgx/v4/pgxpool"
	"github.com/jmoiron/sqlx"
)

type Store struct {
	db   *sq.DB
	pool *pgxpool.Pool
	x    *sqlx.DB
}

func (s *Store) names(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() { // want "rows.Err\\(\\) is never checked after the rows.Next\\(\\) loop"
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func (s *Store) count(ctx context.Context) (int, error) {
	rs, err := s.pool.Query(ctx, "SELECT 1")
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	n := 0
	for rs.Next() { // want "rs.Err\\(\\) is never checked"
		n++
	}
	return n, nil
}

func (s *Store) counted(ctx context.Context) (int, error) {
	rows, err := s.x.QueryxContext(ctx, "SELECT 1")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for i := 0; rows.Next(); i++ { // want "rows.Err\\(\\) is never checked"
		n = i
	}
	return n, nil
}

func inTx(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() { // want "rows.Err\\(\\) is never checked"
	}
	return nil
}

type User struct {
	ID   int64
	Name string
}

// The rows go to a scanning helper inside the loop: that does not hand them over.
func (s *Store) users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []User
	for rows.Next() { // want "rows.Err\\(\\) is never checked"
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, nil
}

func scanUser(rows *sq.Rows) (User, error) {
	var u User
	err := rows.Scan(&u.ID, &u.Name)
	return u, err
}

// Rows from a local helper; the loop runs in a transaction callback.
func (s *Store) query(ctx context.Context, q string) (*sqlx.Rows, error) {
	return s.x.QueryxContext(ctx, q)
}

func (s *Store) withTx(ctx context.Context, fn func(context.Context) error) error {
	return fn(ctx)
}

func (s *Store) ids(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.withTx(ctx, func(ctx context.Context) error {
		rows, err := s.query(ctx, "SELECT id FROM users")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() { // want "rows.Err\\(\\) is never checked"
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// A helper given the rows iterates them and must check Err itself.
func countRows(rows *sq.Rows) (int, error) {
	n := 0
	for rows.Next() { // want "rows.Err\\(\\) is never checked"
		n++
	}
	return n, nil
}

// Err is looked at before the loop only (pgx defers the query error to Rows).
func firstErrOnly(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	rows, _ := pool.Query(ctx, "SELECT name FROM users")
	defer rows.Close()
	if rows.Err() != nil {
		return nil, rows.Err()
	}
	var names []string
	for rows.Next() { // want "rows.Err\\(\\) is never checked"
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, nil
}

// Err is called, and its result thrown away.
func (s *Store) dropped(ctx context.Context) {
	rows, err := s.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() { // want "rows.Err\\(\\) is called after the rows.Next\\(\\) loop but its error is dropped"
	}
	_ = rows.Err()
}

// Quiet: checked after the loop.
func (s *Store) checked(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// Quiet: checked in an if statement.
func (s *Store) checkedIf(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return nil
}

// Quiet: the rows go to a helper that owns them.
func (s *Store) handed(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	for rows.Next() {
		break
	}
	return finish(rows)
}

func finish(rows *sq.Rows) error {
	defer rows.Close()
	return rows.Err()
}

// Quiet: a lookalike Next on something that is not rows.
type iterator struct{ items []int }

func (i *iterator) Next() bool { return len(i.items) > 0 }

func walk(it *iterator) {
	for it.Next() {
		it.items = it.items[1:]
	}
}

// Quiet: checked in a deferred closure that sets the named result.
func (s *Store) deferredCheck(ctx context.Context) (n int, err error) {
	rows, err := s.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return 0, err
	}
	defer func() {
		if e := rows.Err(); e != nil && err == nil {
			err = e
		}
		rows.Close()
	}()
	for rows.Next() {
		n++
	}
	return n, nil
}

// Quiet: assigned and returned later.
func (s *Store) assigned(ctx context.Context) (int, error) {
	rows, err := s.pool.Query(ctx, "SELECT 1")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	err = rows.Err()
	return n, err
}

// Quiet: several result sets, Err checked once after all of them (lib/pq tests).
func (s *Store) resultSets(ctx context.Context) (int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT 1; SELECT 2")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for {
		for rows.Next() {
			n++
		}
		if !rows.NextResultSet() {
			break
		}
	}
	return n, rows.Err()
}

// Quiet: an iterator type of the package wraps the rows; its own Err reports.
type userIter struct {
	rows *sq.Rows
}

func (it *userIter) next() bool { return it.rows.Next() }

func (it *userIter) drain() int {
	n := 0
	for it.rows.Next() {
		n++
	}
	return n
}

// Quiet: the rows are returned to the caller after a first peek.
func (s *Store) peek(ctx context.Context) (*sq.Rows, bool, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return nil, false, err
	}
	for rows.Next() {
		return rows, true, nil
	}
	return rows, false, nil
}
