package store

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gocql/gocql"
)

type Handler struct {
	cluster *gocql.ClusterConfig
	session *gocql.Session
	once    sync.Once
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	session, err := h.cluster.CreateSession() // want "gocql session created in the HTTP handler getUser"
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer session.Close()
	var name string
	if err := session.Query(`SELECT name FROM users WHERE id = ?`, r.URL.Query().Get("id")).WithContext(r.Context()).Scan(&name); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	_ = json.NewEncoder(w).Encode(name)
}

func (h *Handler) routes(mux *http.ServeMux) {
	mux.HandleFunc("/count", func(w http.ResponseWriter, r *http.Request) {
		s, err := gocql.NewSession(*h.cluster) // want "gocql session created in an HTTP handler"
		if err != nil {
			return
		}
		defer s.Close()
	})
}

func (h *Handler) Count(ctx context.Context, org string) (int, error) {
	session, err := h.cluster.CreateSession() // want "gocql session created in Count, which serves a request"
	if err != nil {
		return 0, err
	}
	defer session.Close()
	var n int
	err = session.Query(`SELECT count(*) FROM users WHERE org = ?`, org).WithContext(ctx).Scan(&n)
	return n, err
}

func (h *Handler) perHost(hosts []string) {
	for _, host := range hosts {
		cluster := gocql.NewCluster(host)
		session, err := cluster.CreateSession() // want "gocql session created inside a loop"
		if err != nil {
			continue
		}
		session.Close()
	}
}

// Quiet: a constructor.
func NewHandler(hosts ...string) (*Handler, error) {
	cluster := gocql.NewCluster(hosts...)
	session, err := cluster.CreateSession()
	if err != nil {
		return nil, err
	}
	return &Handler{cluster: cluster, session: session}, nil
}

// Quiet: a retry loop at start-up.
func connect(ctx context.Context, cluster *gocql.ClusterConfig) (*gocql.Session, error) {
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		session, err := cluster.CreateSession()
		if err == nil {
			return session, nil
		}
		lastErr = err
		time.Sleep(time.Second)
	}
	return nil, lastErr
}

// Quiet: lazily created once and kept.
func (h *Handler) lazy(ctx context.Context) (*gocql.Session, error) {
	var err error
	h.once.Do(func() {
		h.session, err = h.cluster.CreateSession()
	})
	return h.session, err
}

// Quiet: a factory that hands the session to its caller.
func (h *Handler) sessionFor(ctx context.Context, keyspace string) (*gocql.Session, error) {
	cluster := *h.cluster
	cluster.Keyspace = keyspace
	return cluster.CreateSession()
}

// Quiet: main runs once.
func main() {
	cluster := gocql.NewCluster("127.0.0.1")
	session, err := cluster.CreateSession()
	if err != nil {
		panic(err)
	}
	defer session.Close()
}
