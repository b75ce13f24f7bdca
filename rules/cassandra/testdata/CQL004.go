package store

import (
	"context"
	"fmt"

	"github.com/gocql/gocql"
)

const allUsers = `SELECT id, name FROM users`

type Users struct {
	session  *gocql.Session
	keyspace string
}

func (u *Users) all(ctx context.Context) *gocql.Iter {
	return u.session.Query(allUsers).WithContext(ctx).Iter() // want "SELECT without WHERE or LIMIT reads the whole table"
}

func (u *Users) count(ctx context.Context) (int, error) {
	var n int
	err := u.session.Query(fmt.Sprintf("SELECT COUNT(*) FROM %s.users", u.keyspace)).WithContext(ctx).Scan(&n) // want "SELECT without WHERE"
	return n, err
}

func (u *Users) star(ctx context.Context, id gocql.UUID) (map[string]interface{}, error) {
	row := map[string]interface{}{}
	err := u.session.Query(`SELECT * FROM users WHERE id = ?`, id).WithContext(ctx).MapScan(row) // want "SELECT \\* reads every column"
	return row, err
}

func (u *Users) starAll(ctx context.Context) *gocql.Iter {
	stmt := "SELECT * " + "FROM users -- every user"
	return u.session.Query(stmt).WithContext(ctx).Iter() // want "SELECT without WHERE"
}

func (u *Users) distinct(ctx context.Context) *gocql.Iter {
	return u.session.Query(`select distinct org from users`).WithContext(ctx).Iter() // want "SELECT without WHERE"
}

// Quiet: a key lookup with named columns.
func (u *Users) byID(ctx context.Context, id gocql.UUID) (string, error) {
	var name string
	err := u.session.Query(`SELECT name FROM users WHERE id = ?`, id).WithContext(ctx).Scan(&name)
	return name, err
}

// Quiet: system tables are small and node-local.
func (u *Users) version(ctx context.Context) (string, error) {
	var v string
	if err := u.session.Query(`SELECT release_version FROM system.local`).WithContext(ctx).Scan(&v); err != nil {
		return "", err
	}
	return v, u.session.Query(`SELECT keyspace_name FROM system_schema.keyspaces`).WithContext(ctx).Exec()
}

// Quiet: bounded by LIMIT.
func (u *Users) sample(ctx context.Context) *gocql.Iter {
	return u.session.Query(`SELECT id FROM users LIMIT 10`).WithContext(ctx).Iter()
}

// Quiet: the WHERE clause is computed by the caller.
func (u *Users) filtered(ctx context.Context, where string, args ...interface{}) *gocql.Iter {
	return u.session.Query(`SELECT id FROM users `+where, args...).WithContext(ctx).Iter()
}

// Quiet: not a SELECT.
func (u *Users) truncate(ctx context.Context) error {
	return u.session.Query(`TRUNCATE users`).WithContext(ctx).Exec()
}

// Quiet: PageState turns automatic paging off: one page per call.
func (u *Users) page(ctx context.Context, state []byte) ([]string, []byte, error) {
	q := u.session.Query(`SELECT name FROM users`).WithContext(ctx).PageSize(100)
	iter := q.PageState(state).Iter()
	next := iter.PageState()
	var names []string
	var name string
	for iter.Scan(&name) {
		names = append(names, name)
	}
	return names, next, iter.Close()
}
