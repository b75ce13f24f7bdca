package store

import (
	"context"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

func dump(ctx context.Context, s *cql.Session, out chan<- map[string]interface{}) error {
	iter := s.Query(`SELECT * FROM audit WHERE day = ?`, "2024-01-01").IterContext(ctx)
	var row = make(map[string]interface{})
	for iter.MapScan(row) { // want "row is reused by MapScan"
		out <- row
	}
	return iter.Close()
}

// Quiet: the map is made per row in the loop header.
func dumpFresh(ctx context.Context, s *cql.Session, out chan<- map[string]interface{}) error {
	iter := s.Query(`SELECT * FROM audit WHERE day = ?`, "2024-01-01").IterContext(ctx)
	for row := make(map[string]interface{}); iter.MapScan(row); row = make(map[string]interface{}) {
		out <- row
	}
	return iter.Close()
}
