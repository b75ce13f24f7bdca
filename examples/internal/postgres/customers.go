package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrCustomerNotFound is returned when the CRM has no such customer.
var ErrCustomerNotFound = errors.New("customer not found")

// Customer is the part of a CRM customer record the orders service needs.
type Customer struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Tier  string `json:"tier"`
}

// CustomerStore reads customers from the CRM database. The CRM is owned by
// another team; it is reached through database/sql and the pgx stdlib driver.
type CustomerStore struct {
	db *sql.DB
}

// NewCustomerStore returns a store over db.
func NewCustomerStore(db *sql.DB) *CustomerStore {
	return &CustomerStore{db: db}
}

// Get returns one customer, or ErrCustomerNotFound.
func (s *CustomerStore) Get(ctx context.Context, id int64) (Customer, error) {
	var c Customer
	err := s.db.QueryRowContext(ctx, `SELECT id, email, name, tier FROM customers WHERE id = $1`, id).
		Scan(&c.ID, &c.Email, &c.Name, &c.Tier)
	if errors.Is(err, sql.ErrNoRows) {
		return Customer{}, ErrCustomerNotFound
	}
	if err != nil {
		return Customer{}, fmt.Errorf("get customer %d: %w", id, err)
	}
	return c, nil
}

// Emails returns the e-mail addresses of the given customers, by id.
func (s *CustomerStore) Emails(ctx context.Context, ids []int64) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, email FROM customers WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("customer emails: %w", err)
	}
	defer rows.Close()

	emails := make(map[int64]string, len(ids))
	for rows.Next() {
		var (
			id    int64
			email string
		)
		if err := rows.Scan(&id, &email); err != nil {
			return nil, fmt.Errorf("scan customer email: %w", err)
		}
		emails[id] = email
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("customer emails: %w", err)
	}
	return emails, nil
}

// ByTier lists the customers of a loyalty tier ("gold", "silver"...).
func (s *CustomerStore) ByTier(ctx context.Context, tier string) ([]Customer, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, email, name, tier FROM customers WHERE tier = $1 ORDER BY id`, tier)
	if err != nil {
		return nil, fmt.Errorf("customers in tier %q: %w", tier, err)
	}
	defer rows.Close()

	var list []Customer
	for rows.Next() {
		var c Customer
		rows.Scan(&c.ID, &c.Email, &c.Name, &c.Tier)
		list = append(list, c)
	}
	return list, nil
}
