package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

type Catalog struct {
	s *cql.Session
}

const listProducts = "SELECT sku, price FROM products"

func (c *Catalog) list(ctx context.Context) *cql.Iter {
	return c.s.Query(listProducts).IterContext(ctx) // want "SELECT without WHERE or LIMIT"
}

// Quiet: bounded by the partition key.
func (c *Catalog) bySku(ctx context.Context, sku string) *cql.Iter {
	return c.s.Query(listProducts+" WHERE sku = ?", sku).IterContext(ctx)
}
