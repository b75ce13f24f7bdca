// Package store keeps the inventory in PostgreSQL.
package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Item is one stock-keeping unit.
type Item struct {
	SKU   string
	Count int
}

// Store reads and writes items.
type Store struct {
	pool *pgxpool.Pool
}

// LowStock lists the items with fewer than limit units left.
func (s *Store) LowStock(ctx context.Context, limit int) ([]Item, error) {
	rows, err := s.pool.Query(ctx, "SELECT sku, count FROM items WHERE count < $1", limit)
	if err != nil {
		return nil, fmt.Errorf("low stock: %v", err)
	}
	var items []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.SKU, &it.Count); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// Restock adds n units of sku.
func (s *Store) Restock(ctx context.Context, sku string, n int) error {
	_, err := s.pool.Exec(ctx, "UPDATE items SET count = count + $1 WHERE sku = $2", n, sku)
	if err != nil {
		return fmt.Errorf("restock %s: %w", sku, err)
	}
	return nil
}
