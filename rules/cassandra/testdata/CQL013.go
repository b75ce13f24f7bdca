package store

import (
	"context"

	"github.com/gocql/gocql"
)

type Accounts struct {
	session *gocql.Session
}

func (a *Accounts) move(ctx context.Context, from, to string, amount int64) (bool, error) {
	b := a.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	b.Query(`UPDATE balances SET amount = amount - ? WHERE id = ? IF amount >= ?`, amount, from, amount)
	b.Query(`UPDATE balances SET amount = amount + ? WHERE id = ?`, amount, to)
	var current int64
	applied, iter, err := a.session.ExecuteBatchCAS(b, &current)
	defer iter.Close() // want "iter is used before the error of ExecuteBatchCAS is checked"
	if err != nil {
		return false, err
	}
	return applied, nil
}

func (a *Accounts) mapped(ctx context.Context, id string) (map[string]interface{}, error) {
	b := a.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	b.Query(`INSERT INTO accounts (id) VALUES (?) IF NOT EXISTS`, id)
	row := map[string]interface{}{}
	_, it, err := a.session.MapExecuteBatchCAS(b, row)
	n := it.NumRows() // want "it is used before the error of MapExecuteBatchCAS is checked"
	if err != nil || n == 0 {
		return nil, err
	}
	return row, it.Close()
}

func (a *Accounts) dropped(ctx context.Context, id string) bool {
	b := a.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	b.Query(`DELETE FROM accounts WHERE id = ? IF EXISTS`, id)
	applied, iter, _ := a.session.ExecuteBatchCAS(b)
	_ = iter.Close() // want "iter is used before the error of ExecuteBatchCAS is checked"
	return applied
}

// Quiet: the error is checked first.
func (a *Accounts) checked(ctx context.Context, id string) (bool, error) {
	b := a.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	b.Query(`DELETE FROM accounts WHERE id = ? IF EXISTS`, id)
	applied, iter, err := a.session.ExecuteBatchCAS(b)
	if err != nil {
		return false, err
	}
	defer iter.Close()
	return applied, nil
}

// Quiet: a nil check guards the close.
func (a *Accounts) guarded(ctx context.Context, id string) (bool, error) {
	b := a.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	b.Query(`DELETE FROM accounts WHERE id = ? IF EXISTS`, id)
	applied, iter, err := a.session.ExecuteBatchCAS(b)
	defer func() {
		if iter != nil {
			_ = iter.Close()
		}
	}()
	return applied, err
}

// Quiet: Query.Iter always returns an iterator.
func (a *Accounts) iter(ctx context.Context) error {
	iter := a.session.Query(`SELECT id FROM accounts`).WithContext(ctx).Iter()
	defer iter.Close()
	return nil
}
