package repo

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type Repo struct {
	db    *sql.DB
	pool  *pgxpool.Pool
	x     *sqlx.DB
	table string
}

const usersTable = "users"

const selectUsers = "SELECT id, name FROM " + usersTable

func (r *Repo) byEmail(ctx context.Context, email string) error {
	q := fmt.Sprintf("SELECT id FROM users WHERE email = '%s'", email)
	_, err := r.pool.Exec(ctx, q) // want "SQL for Exec is built with fmt.Sprintf from `email`"
	return err
}

func (r *Repo) concatenated(ctx context.Context, name string) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, "SELECT id FROM users WHERE name = '"+name+"'") // want "built with [+] from `name`"
}

func (r *Repo) fieldTable(ctx context.Context, id int64) error {
	var n int
	return r.x.GetContext(ctx, &n, "SELECT count(*) FROM "+r.table+" WHERE id = $1", id) // want "from `r.table`"
}

func (r *Repo) builder(ctx context.Context, filters map[string]string) error {
	var b strings.Builder
	b.WriteString("DELETE FROM users WHERE 1=1")
	for column, value := range filters {
		b.WriteString(" AND ")
		b.WriteString(column)
		fmt.Fprintf(&b, " = %q", value)
	}
	_, err := r.db.ExecContext(ctx, b.String()) // want "built with strings.Builder from `column`"
	return err
}

func (r *Repo) joined(ctx context.Context, names []string) error {
	q := "SELECT id FROM users WHERE name IN ('" + strings.Join(names, "','") + "')"
	rows, err := r.x.Queryx(q) // want "built with strings.Join from `names`"
	if err != nil {
		return err
	}
	return rows.Close()
}

func (r *Repo) appended(ctx context.Context, order string) error {
	q := selectUsers
	if order != "" {
		q += " ORDER BY " + order
	}
	rows, err := r.pool.Query(ctx, q) // want "built with [+] from `order`"
	if err != nil {
		return err
	}
	rows.Close()
	return nil
}

func queued(b *pgx.Batch, tenant string) {
	b.Queue(fmt.Sprintf("SET app.tenant = '%v'", tenant)) // want "SQL for Queue is built with fmt.Sprintf from `tenant`"
}

func (r *Repo) prepared(ctx context.Context, column string) (*sql.Stmt, error) {
	return r.db.PrepareContext(ctx, fmt.Sprintf("UPDATE users SET %s = $1", column)) // want "SQL for PrepareContext"
}

// Quiet: values are query arguments.
func (r *Repo) argument(ctx context.Context, email string) error {
	_, err := r.pool.Exec(ctx, "DELETE FROM users WHERE email = $1", email)
	return err
}

// Quiet: only constants are spliced in.
func (r *Repo) constants(ctx context.Context) error {
	_, err := r.db.ExecContext(ctx, fmt.Sprintf("TRUNCATE %s", usersTable))
	return err
}

// Quiet: numbers are not SQL.
func (r *Repo) numbers(ctx context.Context, limit, offset int) error {
	q := selectUsers + " LIMIT " + strconv.Itoa(limit) + fmt.Sprintf(" OFFSET %d", offset)
	rows, err := r.db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Quiet: identifiers are quoted.
func (r *Repo) quoted(ctx context.Context, schema, table, role string) error {
	if _, err := r.pool.Exec(ctx, "TRUNCATE "+pgx.Identifier{schema, table}.Sanitize()); err != nil {
		return err
	}
	_, err := r.db.ExecContext(ctx, fmt.Sprintf("GRANT SELECT ON %s TO %s", pq.QuoteIdentifier(table), pq.QuoteIdentifier(role)))
	return err
}

// Quiet: placeholders are built from numbers.
func (r *Repo) placeholders(ctx context.Context, ids []int64) error {
	marks := make([]string, 0, len(ids))
	args := make([]any, 0, len(ids))
	for i, id := range ids {
		marks = append(marks, "$"+strconv.Itoa(i+1))
		args = append(args, id)
	}
	q := "DELETE FROM users WHERE id IN (" + strings.Join(marks, ",") + ")"
	_, err := r.db.ExecContext(ctx, q, args...)
	return err
}

// Quiet: repeated constant placeholders and a helper returning constant text.
func (r *Repo) repeated(ctx context.Context, ids []any) error {
	q := fmt.Sprintf("DELETE FROM %s WHERE id IN (%s)", tableName(), strings.TrimSuffix(strings.Repeat("?,", len(ids)), ","))
	_, err := r.x.ExecContext(ctx, r.x.Rebind(q), ids...)
	return err
}

func tableName() string {
	return "public." + usersTable
}

// Quiet: the SQL arrives whole; it is built (or not) by the caller.
func (r *Repo) run(ctx context.Context, query string, args ...any) error {
	_, err := r.pool.Exec(ctx, query, args...)
	return err
}

// Quiet: sqlx.In expands a constant query.
func (r *Repo) in(ctx context.Context, ids []int) error {
	q, args, err := sqlx.In("SELECT id FROM users WHERE id IN (?)", ids)
	if err != nil {
		return err
	}
	var found []int
	return r.x.SelectContext(ctx, &found, r.x.Rebind(q), args...)
}

// Quiet (lib/pq tests): the values come from a literal list of constants.
func (r *Repo) zones(ctx context.Context) error {
	for _, zone := range []string{"UTC", "US/Eastern"} {
		if _, err := r.db.ExecContext(ctx, fmt.Sprintf("SET TIME ZONE '%s'", zone)); err != nil {
			return err
		}
	}
	return nil
}
