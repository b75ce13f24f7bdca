package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gocql/gocql"
)

type Store struct {
	session  *gocql.Session
	keyspace string
}

type User struct {
	ID   gocql.UUID
	Name string
}

const userColumns = "id, name"

func (s *Store) byEmail(ctx context.Context, email string) (User, error) {
	var u User
	stmt := fmt.Sprintf(`SELECT id, name FROM users WHERE email = '%s'`, email) // want "`email` is formatted into the CQL text"
	err := s.session.Query(stmt).WithContext(ctx).Scan(&u.ID, &u.Name)
	return u, err
}

func (s *Store) byName(ctx context.Context, name string) (User, error) {
	var u User
	err := s.session.Query("SELECT id, name FROM users WHERE name = '"+name+"' LIMIT 1"). // want "`name` is concatenated into the CQL text"
												WithContext(ctx).Scan(&u.ID, &u.Name)
	return u, err
}

func (s *Store) deleteToken(ctx context.Context, token string) error {
	return s.session.Query(fmt.Sprintf("DELETE FROM sessions WHERE token = %s", token)).WithContext(ctx).Exec() // want "`token` is formatted into the CQL text"
}

func (s *Store) inList(ctx context.Context, ids []string) error {
	q := "SELECT id FROM users WHERE id IN ('" + strings.Join(ids, "','") + "')" // want "`strings.Join\\(ids, \"','\"\\)` is concatenated"
	return s.session.Query(q).WithContext(ctx).Exec()
}

func (s *Store) batch(ctx context.Context, users []User, tag string) error {
	b := s.session.NewBatch(gocql.UnloggedBatch).WithContext(ctx)
	for _, u := range users {
		b.Query(fmt.Sprintf("INSERT INTO users (id, name, tag) VALUES (?, ?, %q)", tag), u.ID, u.Name) // want "`tag` is formatted"
	}
	b.Entries = append(b.Entries, gocql.BatchEntry{
		Stmt: "UPDATE tags SET count = 1 WHERE tag = '" + tag + "'", // want "`tag` is concatenated"
	})
	return s.session.ExecuteBatch(b)
}

// Quiet: a keyspace name cannot be bound, and values go through `?`.
func (s *Store) keyspaceName(ctx context.Context, id gocql.UUID) (User, error) {
	var u User
	stmt := fmt.Sprintf("SELECT %s FROM %s.users WHERE id = ?", userColumns, s.keyspace)
	err := s.session.Query(stmt, id).WithContext(ctx).Scan(&u.ID, &u.Name)
	return u, err
}

// Quiet: numbers and UUIDs cannot carry CQL syntax.
func (s *Store) page(ctx context.Context, id gocql.UUID, limit int) error {
	stmt := fmt.Sprintf("SELECT id FROM users WHERE id > %s LIMIT %d", id, limit)
	if err := s.session.Query(stmt).WithContext(ctx).Exec(); err != nil {
		return err
	}
	return s.session.Query("SELECT id FROM users LIMIT " + strconv.Itoa(limit)).WithContext(ctx).Exec()
}

// Quiet: the IN list is made of bind markers.
func (s *Store) many(ctx context.Context, ids []gocql.UUID) error {
	marks := make([]string, 0, len(ids))
	args := make([]interface{}, 0, len(ids))
	for _, id := range ids {
		marks = append(marks, "?")
		args = append(args, id)
	}
	stmt := fmt.Sprintf("SELECT id FROM users WHERE id IN (%s)", strings.Join(marks, ", "))
	if err := s.session.Query(stmt, args...).WithContext(ctx).Exec(); err != nil {
		return err
	}
	repeated := "DELETE FROM users WHERE id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	return s.session.Query(repeated, args...).WithContext(ctx).Exec()
}

// Quiet: constants only.
func (s *Store) constants(ctx context.Context, id gocql.UUID) error {
	const table = "users"
	return s.session.Query(`SELECT `+userColumns+` FROM `+table+` WHERE id = ?`, id).WithContext(ctx).Exec()
}

// Quiet: a column name chosen by the caller is a name, not a value.
func (s *Store) orderBy(ctx context.Context, column string) error {
	return s.session.Query("SELECT id FROM users WHERE org = ? ORDER BY "+column, "acme").WithContext(ctx).Exec()
}

type fakeDB struct{}

func (fakeDB) Query(stmt string, args ...interface{}) error { return nil }

// Quiet: not gocql.
func notGocql(db fakeDB, name string) error {
	return db.Query("SELECT id FROM users WHERE name = '" + name + "'")
}
