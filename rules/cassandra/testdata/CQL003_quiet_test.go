package store

import (
	"testing"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

// Quiet: tests read small tables.
func TestOpenOrders(t *testing.T) {
	var session *cql.Session
	if err := session.Query(`SELECT id FROM orders WHERE status = 'open' ALLOW FILTERING`).Exec(); err != nil {
		t.Fatal(err)
	}
}
