package store

import (
	"context"
	"net/http"
	"strconv"

	cql "github.com/apache/cassandra-gocql-driver/v2"
)

type Repo struct {
	s *cql.Session
}

func (r *Repo) remove(ctx context.Context, id cql.UUID) error {
	return r.s.Query(`DELETE FROM carts WHERE id = ?`, id).Exec() // want "Exec\\(\\) runs the query without ctx"
}

func (r *Repo) count(w http.ResponseWriter, req *http.Request) {
	ctx := req.Context()
	var n int
	if err := r.s.Query(`SELECT count(*) FROM carts WHERE owner = ?`, req.URL.Query().Get("owner")).Scan(&n); err != nil { // want "Scan\\(\\) runs the query without ctx"
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte(strconv.Itoa(n)))
}

func (r *Repo) clear(ctx context.Context, ids []cql.UUID) error {
	b := r.s.Batch(cql.UnloggedBatch)
	for _, id := range ids {
		b.Query(`DELETE FROM carts WHERE id = ?`, id)
	}
	return b.Exec() // want "Exec\\(\\) runs the batch without ctx"
}

// Quiet: the Context variants take the context.
func (r *Repo) get(ctx context.Context, id cql.UUID) (string, error) {
	var owner string
	err := r.s.Query(`SELECT owner FROM carts WHERE id = ?`, id).ScanContext(ctx, &owner)
	return owner, err
}
