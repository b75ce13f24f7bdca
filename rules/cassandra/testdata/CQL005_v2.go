package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

type Ledger struct {
	s *cql.Session
}

func (l *Ledger) post(ctx context.Context, account string, amounts []int64) error {
	b := l.s.Batch(cql.LoggedBatch)
	for i, amount := range amounts {
		b.Query(`INSERT INTO entries (account, seq, amount) VALUES (?, ?, ?)`, account, i, amount) // want "logged batch b is filled in a loop"
	}
	return b.ExecContext(ctx)
}

// Quiet: three statements, a constant count.
func (l *Ledger) three(ctx context.Context, account string) error {
	b := l.s.Batch(cql.LoggedBatch)
	for i := 0; i < 3; i++ {
		b.Query(`INSERT INTO entries (account, seq, amount) VALUES (?, ?, 0)`, account, i)
	}
	return b.ExecContext(ctx)
}
