package store

import (
	"context"
	"sync"
	"time"

	"github.com/gocql/gocql"
)

type Users struct {
	session *gocql.Session
}

func (u *Users) touch(ctx context.Context, id gocql.UUID) error {
	q := u.session.Query(`UPDATE users SET seen = ? WHERE id = ?`, time.Now(), id)
	err := q.WithContext(ctx).Exec()
	q.Release()
	if err != nil {
		return q.WithContext(ctx).Exec() // want "q is used after q.Release\\(\\)"
	}
	return nil
}

func (u *Users) each(ctx context.Context, ids []gocql.UUID) error {
	q := u.session.Query(`UPDATE users SET seen = toTimestamp(now()) WHERE id = ?`)
	for _, id := range ids {
		if err := q.Bind(id).WithContext(ctx).Exec(); err != nil { // want "q is used in the next iteration"
			return err
		}
		q.Release()
	}
	return nil
}

func (u *Users) fanOut(ctx context.Context, ids []gocql.UUID) {
	q := u.session.Query(`DELETE FROM sessions WHERE user_id = ?`).WithContext(ctx)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id gocql.UUID) {
			defer wg.Done()
			_ = q.Bind(id).Exec() // want "query q is shared between goroutines \\(started in a loop\\)"
		}(id)
	}
	wg.Wait()
}

func (u *Users) background(ctx context.Context, id gocql.UUID) error {
	q := u.session.Query(`UPDATE users SET seen = toTimestamp(now()) WHERE id = ?`, id).WithContext(ctx)
	go func() {
		_ = q.Exec() // want "query q is shared between goroutines \\(the caller uses it after the go statement\\)"
	}()
	return q.Exec()
}

// Quiet: released once, at the end.
func (u *Users) deferred(ctx context.Context, id gocql.UUID) error {
	q := u.session.Query(`UPDATE users SET seen = toTimestamp(now()) WHERE id = ?`, id)
	defer q.Release()
	if err := q.WithContext(ctx).Exec(); err != nil {
		return q.WithContext(ctx).Exec()
	}
	return nil
}

// Quiet: a new query per iteration.
func (u *Users) fresh(ctx context.Context, ids []gocql.UUID) error {
	for _, id := range ids {
		q := u.session.Query(`UPDATE users SET seen = toTimestamp(now()) WHERE id = ?`, id)
		err := q.WithContext(ctx).Exec()
		q.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// Quiet: reassigned after the release.
func (u *Users) twice(ctx context.Context, a, b gocql.UUID) error {
	q := u.session.Query(`DELETE FROM users WHERE id = ?`, a)
	if err := q.WithContext(ctx).Exec(); err != nil {
		return err
	}
	q.Release()
	q = u.session.Query(`DELETE FROM users WHERE id = ?`, b)
	return q.WithContext(ctx).Exec()
}

// Quiet: one goroutine owns each query.
func (u *Users) owned(ctx context.Context, ids []gocql.UUID) {
	for _, id := range ids {
		q := u.session.Query(`DELETE FROM sessions WHERE user_id = ?`, id).WithContext(ctx)
		go func() {
			_ = q.Exec()
		}()
	}
}
