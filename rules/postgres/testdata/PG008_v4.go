package api

import (
	"context"
	"net/http"

	pool4 "github.com/jackc/pgx/v4/pgxpool"
)

type Service struct{ url string }

func (s *Service) Stats(w http.ResponseWriter, r *http.Request) {
	p, err := pool4.Connect(r.Context(), s.url) // want "pool4.Connect opens a connection pool on every request"
	if err != nil {
		return
	}
	defer p.Close()
}

// Quiet: v4 pool built once.
func Open(ctx context.Context, url string) (*Service, *pool4.Pool, error) {
	p, err := pool4.Connect(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	return &Service{url: url}, p, nil
}
