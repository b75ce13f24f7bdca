package store

import (
	"context"
	"time"

	"github.com/gocql/gocql"
)

type Pages struct {
	session *gocql.Session
}

var speculative = &gocql.SimpleSpeculativeExecution{NumAttempts: 1, TimeoutDelay: 50 * time.Millisecond}

func (p *Pages) view(ctx context.Context, page string) error {
	return p.session.Query(`UPDATE page_views SET n = n + 1 WHERE page = ?`, page).Idempotent(true).WithContext(ctx).Exec() // want "Idempotent\\(true\\) on a counter update \\(n = ...\\): a retry counts twice"
}

func (p *Pages) add(ctx context.Context, page string, delta int64) error {
	q := p.session.Query(`UPDATE page_views SET n = n + ? WHERE page = ?`, delta, page)
	q.Idempotent(true) // want "Idempotent\\(true\\) on a counter update"
	return q.WithContext(ctx).Exec()
}

func (p *Pages) claim(ctx context.Context, slug string, owner gocql.UUID) (bool, error) {
	return p.session.Query(`INSERT INTO slugs (slug, owner) VALUES (?, ?) IF NOT EXISTS`, slug, owner).
		WithContext(ctx).
		Idempotent(true). // want "Idempotent\\(true\\) on a lightweight transaction"
		ScanCAS(nil)
}

func (p *Pages) batch(ctx context.Context, page string) error {
	b := p.session.NewBatch(gocql.CounterBatch).WithContext(ctx)
	b.Entries = append(b.Entries, gocql.BatchEntry{
		Stmt:       `UPDATE page_views SET n = n + 1 WHERE page = ?`,
		Args:       []interface{}{page},
		Idempotent: true, // want "Idempotent: true on a counter update"
	})
	return p.session.ExecuteBatch(b)
}

func (p *Pages) title(ctx context.Context, page string) (string, error) {
	var title string
	err := p.session.Query(`SELECT title FROM pages WHERE page = ?`, page).
		WithContext(ctx).
		SetSpeculativeExecutionPolicy(speculative). // want "speculative execution on a query not marked Idempotent\\(true\\)"
		Scan(&title)
	return title, err
}

func (p *Pages) hedged(ctx context.Context, page string) (string, error) {
	q := p.session.Query(`SELECT body FROM pages WHERE page = ?`, page).WithContext(ctx)
	q = q.SetSpeculativeExecutionPolicy(speculative) // want "speculative execution on a query not marked"
	var body string
	err := q.Scan(&body)
	return body, err
}

// Quiet: gocql v1 retries queries whatever their idempotence.
func (p *Pages) retried(ctx context.Context, page string) error {
	return p.session.Query(`DELETE FROM pages WHERE page = ?`, page).
		RetryPolicy(&gocql.SimpleRetryPolicy{NumRetries: 3}).
		WithContext(ctx).
		Exec()
}

// Quiet: an idempotent read with speculative execution.
func (p *Pages) body(ctx context.Context, page string) (string, error) {
	var body string
	err := p.session.Query(`SELECT body FROM pages WHERE page = ?`, page).
		WithContext(ctx).
		Idempotent(true).
		SetSpeculativeExecutionPolicy(speculative).
		Scan(&body)
	return body, err
}

// Quiet: setting a set column is idempotent; a bound slice is not a counter.
func (p *Pages) tag(ctx context.Context, page string, tags []string) error {
	return p.session.Query(`UPDATE pages SET tags = tags + ? WHERE page = ?`, tags, page).
		Idempotent(true).
		WithContext(ctx).
		Exec()
}

// Quiet: a plain upsert is idempotent.
func (p *Pages) save(ctx context.Context, page, body string) error {
	return p.session.Query(`INSERT INTO pages (page, body) VALUES (?, ?)`, page, body).
		Idempotent(true).
		RetryPolicy(&gocql.SimpleRetryPolicy{NumRetries: 2}).
		WithContext(ctx).
		Exec()
}

// Quiet: a counter update that is not marked idempotent.
func (p *Pages) hit(ctx context.Context, page string) error {
	return p.session.Query(`UPDATE page_views SET n = n + 1 WHERE page = ?`, page).WithContext(ctx).Exec()
}
