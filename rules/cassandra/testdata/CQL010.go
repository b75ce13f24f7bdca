package store

import (
	"context"

	"github.com/gocql/gocql"
)

type Rows struct {
	session *gocql.Session
}

func (r *Rows) all(ctx context.Context) ([]map[string]interface{}, error) {
	iter := r.session.Query(`SELECT id, name FROM users`).WithContext(ctx).Iter()
	var rows []map[string]interface{}
	row := map[string]interface{}{}
	for iter.MapScan(row) { // want "row is reused by MapScan for every row"
		rows = append(rows, row)
	}
	return rows, iter.Close()
}

func (r *Rows) names(ctx context.Context) ([]string, error) {
	iter := r.session.Query(`SELECT name FROM users`).WithContext(ctx).Iter()
	m := make(map[string]interface{})
	var names []string
	for {
		if !iter.MapScan(m) { // want "m is reused by MapScan"
			break
		}
		names = append(names, m["name"].(string))
	}
	return names, iter.Close()
}

func (r *Rows) last(ctx context.Context) (map[string]interface{}, error) {
	iter := r.session.Query(`SELECT id, name FROM users`).WithContext(ctx).Iter()
	m := make(map[string]interface{}, 2)
	n := 0
	for iter.MapScan(m) { // want "m is reused by MapScan"
		n++
	}
	if err := iter.Close(); err != nil {
		return nil, err
	}
	return m, nil
}

// Quiet: a new map per row.
func (r *Rows) fresh(ctx context.Context) ([]map[string]interface{}, error) {
	iter := r.session.Query(`SELECT id, name FROM users`).WithContext(ctx).Iter()
	var rows []map[string]interface{}
	for {
		row := make(map[string]interface{})
		if !iter.MapScan(row) {
			break
		}
		rows = append(rows, row)
	}
	return rows, iter.Close()
}

// Quiet: reassigned after each row.
func (r *Rows) reassigned(ctx context.Context) ([]map[string]interface{}, error) {
	iter := r.session.Query(`SELECT id, name FROM users`).WithContext(ctx).Iter()
	var rows []map[string]interface{}
	row := map[string]interface{}{}
	for iter.MapScan(row) {
		rows = append(rows, row)
		row = map[string]interface{}{}
	}
	return rows, iter.Close()
}

// Quiet: cleared before each scan.
func (r *Rows) cleared(ctx context.Context) (int, error) {
	iter := r.session.Query(`SELECT id FROM users`).WithContext(ctx).Iter()
	m := map[string]interface{}{}
	n := 0
	for {
		for k := range m {
			delete(m, k)
		}
		if !iter.MapScan(m) {
			break
		}
		n++
	}
	return n, iter.Close()
}

func (r *Rows) each(ctx context.Context, ids []gocql.UUID) error {
	m := map[string]interface{}{}
	for _, id := range ids {
		if err := r.session.Query(`SELECT name FROM users WHERE id = ?`, id).WithContext(ctx).MapScan(m); err != nil { // want "m is reused by MapScan"
			return err
		}
	}
	return nil
}

// Quiet: one map per query.
func (r *Rows) one(ctx context.Context, ids []gocql.UUID) ([]map[string]interface{}, error) {
	var rows []map[string]interface{}
	for _, id := range ids {
		m := map[string]interface{}{}
		if err := r.session.Query(`SELECT name FROM users WHERE id = ?`, id).WithContext(ctx).MapScan(m); err != nil {
			return nil, err
		}
		rows = append(rows, m)
	}
	return rows, nil
}
