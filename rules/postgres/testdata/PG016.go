package repo

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

type User struct {
	ID    int64
	Email string
}

type Repo struct {
	db   *sql.DB
	pool *pgxpool.Pool
	x    *sqlx.DB
}

func (r *Repo) user(ctx context.Context, id int64) (User, error) {
	var u User
	r.db.QueryRowContext(ctx, "SELECT id, email FROM users WHERE id = $1", id).Scan(&u.ID, &u.Email) // want "error from QueryRowContext\\(...\\).Scan\\(\\) is dropped: a failed scan leaves zero values behind"
	return u, nil
}

func (r *Repo) emails(ctx context.Context) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT email FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var emails []string
	for rows.Next() {
		var e string
		rows.Scan(&e) // want "error from rows.Scan\\(\\) is dropped"
		emails = append(emails, e)
	}
	return emails, rows.Err()
}

func (r *Repo) sum(ctx context.Context) int64 {
	rows, err := r.pool.Query(ctx, "SELECT total FROM orders")
	if err != nil {
		return 0
	}
	defer rows.Close()
	var sum int64
	for rows.Next() {
		var t int64
		_ = rows.Scan(&t) // want "error from rows.Scan\\(\\) is dropped"
		sum += t
	}
	return sum
}

func (r *Repo) structs(ctx context.Context) ([]User, error) {
	rows, err := r.x.QueryxContext(ctx, "SELECT id, email FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []User
	for rows.Next() {
		var u User
		rows.StructScan(&u) // want "error from rows.StructScan\\(\\) is dropped"
		users = append(users, u)
	}
	return users, rows.Err()
}

func (r *Repo) values(ctx context.Context) []any {
	row := r.x.QueryRowxContext(ctx, "SELECT 1, 2")
	vals, _ := row.SliceScan() // want "error from row.SliceScan\\(\\) is dropped"
	return vals
}

// Quiet: the error is checked.
func (r *Repo) checked(ctx context.Context, id int64) (User, error) {
	var u User
	if err := r.pool.QueryRow(ctx, "SELECT id, email FROM users WHERE id = $1", id).Scan(&u.ID, &u.Email); err != nil {
		return User{}, err
	}
	return u, nil
}

// Quiet: pgx keeps the Scan error for rows.Err(), which is checked.
func (r *Repo) kept(ctx context.Context) ([]int64, error) {
	rows, err := r.pool.Query(ctx, "SELECT total FROM orders")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var totals []int64
	for rows.Next() {
		var t int64
		rows.Scan(&t)
		totals = append(totals, t)
	}
	return totals, rows.Err()
}

// Quiet: a Scan that is not a row's (a local type).
type scanner struct{}

func (scanner) Scan(dst ...any) error { return nil }

func local(s scanner) {
	var v int
	s.Scan(&v)
}
