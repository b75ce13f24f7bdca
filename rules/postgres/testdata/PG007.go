package server

import (
	"context"
	"net/http"
	"sync"

	"github.com/jackc/pgx/v5"
)

type Server struct {
	conn *pgx.Conn // want "\\*pgx.Conn field conn is used by the HTTP handler user: a pgx.Conn is not safe for concurrent use"
}

func (s *Server) user(w http.ResponseWriter, r *http.Request) {
	var name string
	_ = s.conn.QueryRow(r.Context(), "SELECT name FROM users WHERE id = $1", r.URL.Query().Get("id")).Scan(&name)
	_, _ = w.Write([]byte(name))
}

type Repo struct {
	db *pgx.Conn // want "field db is used by Find, which serves requests"
}

func (r *Repo) Find(ctx context.Context, id int64) (string, error) {
	var name string
	err := r.db.QueryRow(ctx, "SELECT name FROM users WHERE id = $1", id).Scan(&name)
	return name, err
}

type Routes struct {
	c *pgx.Conn // want "field c is used by an HTTP handler in register"
}

func (rt *Routes) register(mux *http.ServeMux) {
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		_ = rt.c.Ping(r.Context())
	})
}

var shared *pgx.Conn // want "package variable shared is used by the HTTP handler health"

func health(w http.ResponseWriter, r *http.Request) {
	if err := shared.Ping(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}

type Worker struct {
	conn *pgx.Conn // want "field conn is used from a goroutine in Start"
}

func (w *Worker) Start(n int) {
	for i := 0; i < n; i++ {
		go func() {
			_, _ = w.conn.Exec(context.Background(), "SELECT 1")
		}()
	}
}

// Quiet: the connection is guarded by a mutex.
type Guarded struct {
	mu   sync.Mutex
	conn *pgx.Conn
}

func (g *Guarded) Count(ctx context.Context) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var n int
	err := g.conn.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}

// Quiet: a field no method uses concurrently (Close at shutdown).
type Closer struct {
	conn *pgx.Conn
}

func (c *Closer) Close() error {
	return c.conn.Close(context.Background())
}

// Quiet: one dedicated connection handed whole to its goroutine.
func listen(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	go func() {
		defer conn.Close(context.Background())
		_, _ = conn.Exec(context.Background(), "LISTEN events")
		for {
			if _, err := conn.WaitForNotification(ctx); err != nil {
				return
			}
		}
	}()
	return nil
}
