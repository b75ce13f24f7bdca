package store

import (
	"context"
	"net/http"

	"github.com/gocql/gocql"
)

type Events struct {
	session *gocql.Session
}

func (e *Events) record(ctx context.Context, id gocql.UUID, body string) error {
	return e.session.Query(`INSERT INTO events (id, body) VALUES (?, ?)`, id, body).
		Consistency(gocql.Any). // want "consistency ANY acknowledges a write held only as a hint"
		WithContext(ctx).
		Exec()
}

func (e *Events) read(ctx context.Context, id gocql.UUID) (string, error) {
	var body string
	err := e.session.Query(`SELECT body FROM events WHERE id = ?`, id).Consistency(gocql.Any).WithContext(ctx).Scan(&body) // want "consistency ANY cannot serve reads"
	return body, err
}

func (e *Events) strict(w http.ResponseWriter, r *http.Request) {
	var n int
	q := e.session.Query(`SELECT count(*) FROM events WHERE day = ?`, r.URL.Query().Get("day")).WithContext(r.Context())
	if err := q.Consistency(gocql.All).Scan(&n); err != nil { // want "consistency ALL in the HTTP handler strict: one replica down fails the request"
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	}
}

func newCluster(hosts []string) *gocql.ClusterConfig {
	cfg := gocql.NewCluster(hosts...)
	cfg.Consistency = gocql.Any // want "consistency ANY acknowledges a write"
	return cfg
}

func literal(hosts []string) *gocql.ClusterConfig {
	return &gocql.ClusterConfig{Hosts: hosts, Consistency: gocql.Any} // want "consistency ANY"
}

// Quiet: ALL in a one-off migration step.
func migrate(session *gocql.Session) error {
	return session.Query(`ALTER TABLE events ADD tags set<text>`).Consistency(gocql.All).Exec()
}

// Quiet: LocalQuorum.
func (e *Events) safe(ctx context.Context, id gocql.UUID) error {
	return e.session.Query(`DELETE FROM events WHERE id = ?`, id).Consistency(gocql.LocalQuorum).WithContext(ctx).Exec()
}

// Quiet: a cluster-wide ALL is a deliberate, visible choice.
func strictCluster(hosts []string) *gocql.ClusterConfig {
	cfg := gocql.NewCluster(hosts...)
	cfg.Consistency = gocql.All
	return cfg
}

type level struct{ Any int }

// Quiet: not gocql's constant.
func other() int {
	l := level{Any: 1}
	return l.Any
}
