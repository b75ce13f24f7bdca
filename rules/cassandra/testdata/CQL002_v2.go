package store

import (
	"context"
	"fmt"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

type Repo struct {
	s *cql.Session
}

const selectByOrg = "SELECT id FROM users WHERE org = '"

func (r *Repo) byOrg(ctx context.Context, org string) error {
	return r.s.Query(selectByOrg + org + "'").ExecContext(ctx) // want "`org` is concatenated"
}

func (r *Repo) ttl(ctx context.Context, id cql.UUID, ttl string) error {
	b := r.s.Batch(cql.LoggedBatch)
	b.Query(fmt.Sprintf("UPDATE users USING TTL %s SET seen = true WHERE id = ?", ttl), id) // want "`ttl` is formatted"
	return b.ExecContext(ctx)
}

func (r *Repo) contains(ctx context.Context, tag string) error {
	stmt := `SELECT id FROM posts WHERE tags CONTAINS ` + tag // want "`tag` is concatenated"
	return r.s.Query(stmt).ExecContext(ctx)
}

// Quiet: the value is bound.
func (r *Repo) bound(ctx context.Context, org string) error {
	return r.s.Query(`SELECT id FROM users WHERE org = ?`, org).ExecContext(ctx)
}

// Quiet: a quote inside a CQL comment is not a string literal, and the table is a name.
func (r *Repo) commented(ctx context.Context, table string) error {
	stmt := "SELECT id FROM " + table + " -- 'comment'\n WHERE org = ?"
	return r.s.Query(stmt, "acme").ExecContext(ctx)
}

// Quiet: a keyspace-qualified table name from configuration.
func (r *Repo) qualified(ctx context.Context, keyspace string) error {
	return r.s.Query(fmt.Sprintf(`INSERT INTO "%s".events (id) VALUES (?)`, keyspace), cql.TimeUUID()).ExecContext(ctx)
}
