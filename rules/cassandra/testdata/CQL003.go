package store

import (
	"context"
	"fmt"

	"github.com/gocql/gocql"
)

const openOrders = `SELECT id, total FROM orders WHERE status = 'open' ALLOW FILTERING`

type Orders struct {
	session *gocql.Session
	table   string
}

func (o *Orders) open(ctx context.Context) *gocql.Iter {
	return o.session.Query(openOrders).WithContext(ctx).Iter() // want "ALLOW FILTERING scans and filters partitions"
}

func (o *Orders) byStatus(ctx context.Context, status string) *gocql.Iter {
	return o.session.Query(`SELECT id FROM orders WHERE status = ? allow filtering`, status).WithContext(ctx).Iter() // want "ALLOW FILTERING"
}

func (o *Orders) formatted(ctx context.Context, status string) error {
	stmt := fmt.Sprintf("SELECT id FROM %s WHERE status = ? ", o.table) + "ALLOW   FILTERING"
	return o.session.Query(stmt, status).WithContext(ctx).Exec() // want "ALLOW FILTERING"
}

func (o *Orders) bind(ctx context.Context) error {
	q := o.session.Bind("SELECT id FROM orders WHERE total > ? ALLOW\n\tFILTERING", func(q *gocql.QueryInfo) ([]interface{}, error) { // want "ALLOW FILTERING"
		return []interface{}{100}, nil
	})
	return q.WithContext(ctx).Exec()
}

// Quiet: the words are in a CQL comment.
func (o *Orders) commented(ctx context.Context, id gocql.UUID) error {
	return o.session.Query(`SELECT id FROM orders WHERE id = ? -- never ALLOW FILTERING here`, id).WithContext(ctx).Exec()
}

// Quiet: the words are in a string literal and a quoted name.
func (o *Orders) literal(ctx context.Context, id gocql.UUID) error {
	if err := o.session.Query(`UPDATE orders SET note = 'no ALLOW FILTERING' WHERE id = ?`, id).WithContext(ctx).Exec(); err != nil {
		return err
	}
	return o.session.Query(`SELECT "allow" FROM orders WHERE id = ? /* ALLOW FILTERING */`, id).WithContext(ctx).Exec()
}

// Quiet: a key lookup.
func (o *Orders) byID(ctx context.Context, id gocql.UUID) error {
	return o.session.Query(`SELECT id FROM orders WHERE id = ?`, id).WithContext(ctx).Exec()
}
