package server

import (
	"context"
	"database/sql"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

type Handler struct {
	dsn   string
	pools map[string]*pgxpool.Pool
	db    *sql.DB
}

func (h *Handler) orders(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("pgx", h.dsn) // want "sql.Open opens a connection pool on every request \\(HTTP handler orders\\)"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer db.Close()
	_, _ = db.ExecContext(r.Context(), "SELECT 1")
}

func routes(mux *http.ServeMux, dsn string) {
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		conn, err := pgx.Connect(r.Context(), dsn) // want "pgx.Connect opens a connection on every request"
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		defer conn.Close(r.Context())
	})
}

func (h *Handler) Report(ctx context.Context, tenant string) error {
	pool, err := pgxpool.New(ctx, h.dsn+"&search_path="+tenant) // want "pgxpool.New opens a connection pool on every call of Report, which serves requests"
	if err != nil {
		return err
	}
	defer pool.Close()
	_, err = pool.Exec(ctx, "REFRESH MATERIALIZED VIEW report")
	return err
}

func (h *Handler) each(ctx context.Context, dsns []string) error {
	for _, dsn := range dsns {
		db, err := sqlx.Connect("postgres", dsn) // want "sqlx.Connect opens a connection pool on every iteration of this loop"
		if err != nil {
			return err
		}
		_, _ = db.Exec("SELECT 1")
		db.Close()
	}
	return nil
}

// Quiet: opened once in a constructor.
func NewHandler(dsn string) (*Handler, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	return &Handler{dsn: dsn, db: db}, nil
}

// Quiet: a cache of pools, one per tenant.
func (h *Handler) poolFor(ctx context.Context, tenant string) (*pgxpool.Pool, error) {
	if pool, ok := h.pools[tenant]; ok {
		return pool, nil
	}
	pool, err := pgxpool.New(ctx, h.dsn+"&search_path="+tenant)
	if err != nil {
		return nil, err
	}
	h.pools[tenant] = pool
	return pool, nil
}

// Quiet: a retry loop at start-up.
func connectWithRetry(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	var pool *pgxpool.Pool
	var err error
	for i := 0; i < 5; i++ {
		pool, err = pgxpool.New(ctx, dsn)
		if err == nil {
			break
		}
	}
	return pool, err
}

// Quiet: main sets the service up.
func main() {
	db, err := sql.Open("pgx", "postgres:///app")
	if err != nil {
		panic(err)
	}
	h := &Handler{db: db}
	http.HandleFunc("/orders", h.orders)
}

// Quiet: a migration helper run once.
func (h *Handler) migrate(ctx context.Context) error {
	db, err := sql.Open("pgx", h.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS t (id int)")
	return err
}
