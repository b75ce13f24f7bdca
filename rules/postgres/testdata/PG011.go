package repo

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

type Repo struct {
	db   *sql.DB
	pool *pgxpool.Pool
	x    *sqlx.DB
}

type User struct {
	ID   int64
	Name string
}

const usersTable = "users"

const selectUsers = "SELECT * FROM " + usersTable

func (r *Repo) user(ctx context.Context, id int64) (User, error) {
	var u User
	err := r.pool.QueryRow(ctx, "SELECT * FROM users WHERE id = $1", id).Scan(&u.ID, &u.Name) // want "SELECT \\* in the SQL for QueryRow"
	return u, err
}

func (r *Repo) all(ctx context.Context) ([]User, error) {
	var users []User
	err := r.x.SelectContext(ctx, &users, selectUsers) // want "SELECT \\* in the SQL for SelectContext"
	return users, err
}

func (r *Repo) qualified(ctx context.Context, org int64) (*sql.Rows, error) {
	q := `
		SELECT u.*
		FROM users u JOIN members m ON m.user_id = u.id
		WHERE m.org_id = $1`
	return r.db.QueryContext(ctx, q, org) // want "SELECT \\* in the SQL for QueryContext"
}

func (r *Repo) byTable(ctx context.Context, table string) (pgx.Rows, error) {
	return r.pool.Query(ctx, "select distinct * from "+table) // want "SELECT \\* in the SQL for Query"
}

// Quiet: the columns are listed.
func (r *Repo) listed(ctx context.Context, id int64) (User, error) {
	var u User
	err := r.pool.QueryRow(ctx, "SELECT id, name FROM users WHERE id = $1", id).Scan(&u.ID, &u.Name)
	return u, err
}

// Quiet: count(*), EXISTS (SELECT * ...) and a CTE's inner SELECT * are not scanned.
func (r *Repo) exists(ctx context.Context, id int64) (bool, int, error) {
	var ok bool
	var n int
	if err := r.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT * FROM users WHERE id = $1)", id).Scan(&ok); err != nil {
		return false, 0, err
	}
	err := r.pool.QueryRow(ctx, `WITH recent AS (SELECT * FROM users) SELECT count(*) FROM recent`).Scan(&n)
	return ok, n, err
}

// Quiet: in a comment and in a string literal of the SQL.
func (r *Repo) commented(ctx context.Context) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, `-- was: SELECT * FROM users
		SELECT id FROM users WHERE note <> 'SELECT * FROM x'`)
}

// Quiet: Exec scans nothing.
func (r *Repo) copyTable(ctx context.Context) error {
	_, err := r.pool.Exec(ctx, "INSERT INTO users_archive SELECT * FROM users")
	return err
}
