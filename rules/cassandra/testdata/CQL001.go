package store

import (
	"context"
	"errors"
	"time"

	"github.com/gocql/gocql"
)

type Store struct {
	session *gocql.Session
}

type User struct {
	ID   gocql.UUID
	Name string
}

func (s *Store) ids(ctx context.Context, org string) ([]gocql.UUID, error) {
	iter := s.session.Query(`SELECT id FROM users WHERE org = ?`, org).WithContext(ctx).Iter()
	var id gocql.UUID
	var out []gocql.UUID
	for iter.Scan(&id) {
		out = append(out, id)
	}
	iter.Close() // want "error from iter.Close\\(\\) is dropped"
	return out, nil
}

func (s *Store) deferred(ctx context.Context) (int, error) {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	defer iter.Close() // want "error from iter.Close\\(\\) is dropped"
	n := 0
	var id gocql.UUID
	for iter.Scan(&id) {
		n++
	}
	return n, nil
}

func (s *Store) neverClosed(ctx context.Context) []string {
	it := s.session.Query(`SELECT name FROM users`).WithContext(ctx).Iter() // want "it.Close\\(\\) is never called"
	var names []string
	var n string
	for it.Scan(&n) {
		names = append(names, n)
	}
	return names
}

func (s *Store) chained(ctx context.Context, id gocql.UUID) string {
	var name string
	s.session.Query(`SELECT name FROM users WHERE id = ?`, id).WithContext(ctx).Iter().Scan(&name) // want "iterator from Iter\\(\\) is never closed"
	return name
}

func (s *Store) scanner(ctx context.Context) ([]User, error) {
	sc := s.session.Query(`SELECT id, name FROM users`).WithContext(ctx).Iter().Scanner() // want "sc.Err\\(\\) is never called"
	var users []User
	for sc.Next() {
		var u User
		if err := sc.Scan(&u.ID, &u.Name); err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, nil
}

func (s *Store) blank(ctx context.Context) (User, error) {
	var u User
	iter := s.session.Query(`SELECT id, name FROM users LIMIT 1`).WithContext(ctx).Iter()
	iter.Scan(&u.ID, &u.Name)
	_ = iter.Close() // want "error from iter.Close\\(\\) is dropped"
	return u, nil
}

func (s *Store) noErrorResult(ctx context.Context) {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	iter.Close() // want "error from iter.Close\\(\\) is dropped"
}

type Stats struct {
	Rows  int
	Pages int
}

// From a local helper that builds the iterator; the zero value of a local struct.
func (s *Store) iterFor(ctx context.Context, org string) *gocql.Iter {
	return s.session.Query(`SELECT id FROM users WHERE org = ?`, org).WithContext(ctx).Iter()
}

func (s *Store) stats(ctx context.Context, org string) (Stats, error) {
	iter := s.iterFor(ctx, org)
	var st Stats
	var id gocql.UUID
	for iter.Scan(&id) {
		st.Rows++
	}
	iter.Close() // want "error from iter.Close\\(\\) is dropped"
	return st, nil
}

// A model type's zero value: time.Time is a struct (rules/models/time.toml).
func (s *Store) lastSeen(ctx context.Context, id gocql.UUID) (time.Time, error) {
	var t time.Time
	iter := s.session.Query(`SELECT seen FROM visits WHERE id = ?`, id).WithContext(ctx).Iter()
	for iter.Scan(&t) {
	}
	iter.Close() // want "error from iter.Close\\(\\) is dropped"
	return t, nil
}

// In a goroutine: the deferred Close drops the error.
func (s *Store) stream(ctx context.Context, out chan<- gocql.UUID) {
	go func() {
		defer close(out)
		iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
		defer iter.Close() // want "error from iter.Close\\(\\) is dropped"
		var id gocql.UUID
		for iter.Scan(&id) {
			out <- id
		}
	}()
}

// Closed in a deferred closure, the error dropped there.
func (s *Store) closure(ctx context.Context) []gocql.UUID {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	defer func() {
		iter.Close() // want "error from iter.Close\\(\\) is dropped"
	}()
	var ids []gocql.UUID
	var id gocql.UUID
	for iter.Scan(&id) {
		ids = append(ids, id)
	}
	return ids
}

// A helper given the iterator closes it and drops the error.
func collect(iter *gocql.Iter) []gocql.UUID {
	var ids []gocql.UUID
	var id gocql.UUID
	for iter.Scan(&id) {
		ids = append(ids, id)
	}
	iter.Close() // want "error from iter.Close\\(\\) is dropped"
	return ids
}

func collectScanner(sc gocql.Scanner) (int, error) {
	defer sc.Err() // want "error from sc.Err\\(\\) is dropped"
	n := 0
	for sc.Next() {
		n++
	}
	return n, nil
}

// Quiet: closed for safety with defer, and checked on the normal path.
func (s *Store) safety(ctx context.Context) ([]gocql.UUID, error) {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	defer iter.Close()
	var ids []gocql.UUID
	var id gocql.UUID
	for iter.Scan(&id) {
		ids = append(ids, id)
	}
	if err := iter.Close(); err != nil {
		return nil, err
	}
	return ids, nil
}

// Quiet: a deferred closure folds the error into the named result.
func (s *Store) folded(ctx context.Context) (n int, err error) {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	defer func() {
		if cerr := iter.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	var id gocql.UUID
	for iter.Scan(&id) {
		n++
	}
	return n, nil
}

// Quiet: the errors of several iterators are collected.
func (s *Store) both(ctx context.Context) error {
	var errs []error
	a := s.session.Query(`SELECT id FROM a`).WithContext(ctx).Iter()
	b := s.session.Query(`SELECT id FROM b`).WithContext(ctx).Iter()
	errs = append(errs, a.Close(), b.Close())
	return errors.Join(errs...)
}

// Quiet: a helper given the iterator leaves closing to its caller.
func scanOne(iter *gocql.Iter) (gocql.UUID, bool) {
	var id gocql.UUID
	ok := iter.Scan(&id)
	return id, ok
}

// Quiet: a helper given the scanner checks its error.
func countScanner(sc gocql.Scanner) (int, error) {
	n := 0
	for sc.Next() {
		n++
	}
	return n, sc.Err()
}

// Quiet: the error is checked.
func (s *Store) checked(ctx context.Context) ([]gocql.UUID, error) {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	var id gocql.UUID
	var out []gocql.UUID
	for iter.Scan(&id) {
		out = append(out, id)
	}
	if err := iter.Close(); err != nil {
		return nil, err
	}
	return out, nil
}

// Quiet: the error is returned.
func (s *Store) returned(ctx context.Context) error {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	var id gocql.UUID
	for iter.Scan(&id) {
	}
	return iter.Close()
}

// Quiet: the scanner's Err closes the iterator and is checked.
func (s *Store) scanned(ctx context.Context) error {
	scanner := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter().Scanner()
	for scanner.Next() {
		var id gocql.UUID
		if err := scanner.Scan(&id); err != nil {
			return err
		}
	}
	return scanner.Err()
}

// Quiet: the iterator is handed to the caller.
func (s *Store) iterate(ctx context.Context) *gocql.Iter {
	return s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
}

// Quiet: the iterator goes to a helper that closes it.
func (s *Store) viaHelper(ctx context.Context) error {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	return drain(iter)
}

func drain(iter *gocql.Iter) error {
	var id gocql.UUID
	for iter.Scan(&id) {
	}
	return iter.Close()
}

// Quiet: the error is assigned and checked later.
func (s *Store) assigned(ctx context.Context) error {
	iter := s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	var err error
	var id gocql.UUID
	for iter.Scan(&id) {
	}
	err = iter.Close()
	return err
}

// Quiet: chained Close whose error is checked.
func (s *Store) chainedChecked(ctx context.Context) error {
	return s.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter().Close()
}

// Quiet: SliceMap returns the query's error.
func (s *Store) rows(ctx context.Context) ([]map[string]interface{}, error) {
	return s.session.Query(`SELECT * FROM users`).WithContext(ctx).Iter().SliceMap()
}

func (s *Store) firstRow(ctx context.Context) map[string]interface{} {
	m := map[string]interface{}{}
	if !s.session.Query(`SELECT * FROM users`).WithContext(ctx).Iter().MapScan(m) { // want "iterator from Iter\\(\\) is never closed"
		return nil
	}
	return m
}
