// gobex:select ERR003
package store

import (
	"context"
	"errors"

	"github.com/gocql/gocql"
)

type Accounts struct {
	session *gocql.Session
}

func (a *Accounts) balance(ctx context.Context, id gocql.UUID) int64 {
	var balance int64
	a.session.Query(`SELECT balance FROM accounts WHERE id = ?`, id).WithContext(ctx).Scan(&balance) // want "error of Scan is dropped: a failed or empty read \\(ErrNotFound\\) leaves zero values"
	return balance
}

func (a *Accounts) credit(ctx context.Context, id gocql.UUID, amount int64) {
	q := a.session.Query(`UPDATE accounts SET balance = ? WHERE id = ?`, amount, id)
	q.WithContext(ctx).Exec() // want "error of Exec is dropped: a failed write looks like a success"
}

func (a *Accounts) open(ctx context.Context, id gocql.UUID) bool {
	applied, _ := a.session.Query(`INSERT INTO accounts (id, balance) VALUES (?, 0) IF NOT EXISTS`, id).WithContext(ctx).ScanCAS() // want "error of ScanCAS is discarded with _"
	return applied
}

func (a *Accounts) async(ctx context.Context, id gocql.UUID) {
	go a.session.Query(`DELETE FROM sessions WHERE account = ?`, id).WithContext(ctx).Exec() // want "error of Exec is dropped"
}

func (a *Accounts) row(ctx context.Context, id gocql.UUID) map[string]interface{} {
	row := map[string]interface{}{}
	(a.session.Query(`SELECT * FROM accounts WHERE id = ?`, id).WithContext(ctx).MapScan(row)) // want "error of MapScan is dropped"
	return row
}

// Quiet: the error is returned.
func (a *Accounts) checked(ctx context.Context, id gocql.UUID) (int64, error) {
	var balance int64
	err := a.session.Query(`SELECT balance FROM accounts WHERE id = ?`, id).WithContext(ctx).Scan(&balance)
	return balance, err
}

// Quiet: discarded in plain sight.
func (a *Accounts) bestEffort(ctx context.Context, id gocql.UUID) {
	_ = a.session.Query(`UPDATE accounts SET seen = toTimestamp(now()) WHERE id = ?`, id).WithContext(ctx).Exec()
}

// Quiet: the CAS result and its error are both used.
func (a *Accounts) cas(ctx context.Context, id gocql.UUID) (bool, error) {
	m := map[string]interface{}{}
	return a.session.Query(`DELETE FROM accounts WHERE id = ? IF EXISTS`, id).WithContext(ctx).MapScanCAS(m)
}

type fake struct{}

func (fake) Exec() error { return errors.New("not implemented") }

// Quiet: not gocql (ERR003's).
func (a *Accounts) other(f fake) {
	f.Exec()
}
