package orders

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	pg "github.com/jackc/pgx/v5/pgxpool"
)

type Event struct{ Kind string }

type Publisher interface {
	Publish(ctx context.Context, e Event) error
}

type Repo struct {
	db   *sql.DB
	pool *pg.Pool
	pub  Publisher
}

func (r *Repo) publish(ctx context.Context, kind string) error {
	return r.pub.Publish(ctx, Event{Kind: kind})
}

func (r *Repo) count(ctx context.Context) (int, error) {
	var n int
	err := r.db.QueryRowContext(ctx, "SELECT count(*) FROM orders").Scan(&n)
	return n, err
}

func (r *Repo) Names(ctx context.Context) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n) // PG016 reports a dropped Scan error (reported once)
		names = append(names, n)
	}
	r.publish(ctx, "names.listed") // want "error returned by r.publish is dropped"
	return names, rows.Err()
}

// Aliased import, a value held in a struct field, an interface method.
func (r *Repo) Archive(ctx context.Context, id int64) {
	r.pool.Exec(ctx, "UPDATE orders SET archived = true WHERE id = $1", id) // want "error returned by r.pool.Exec is dropped"
	r.pub.Publish(ctx, Event{Kind: "archived"})                             // want "error returned by r.pub.Publish is dropped"
}

func (r *Repo) Pay(ctx context.Context, id int64) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE orders SET paid = true WHERE id = $1", id); err != nil {
		return err
	}
	tx.Commit() // PG004 reports a dropped Commit error (reported once)
	return nil
}

// The error position assigned to _ while the value is used.
func (r *Repo) Stats(ctx context.Context) string {
	n, _ := r.count(ctx)                                             // want "error returned by r.count is discarded with _"
	res, _ := r.db.ExecContext(ctx, "DELETE FROM carts WHERE stale") // want "error returned by r.db.ExecContext is discarded with _"
	gone, _ := res.RowsAffected()                                    // want "error returned by res.RowsAffected is discarded with _"
	return fmt.Sprint(n, gone)
}

// database/sql returns nil rows with the error: dropping it panics later.
func (r *Repo) Leaky(ctx context.Context) {
	rows, _ := r.db.QueryContext(ctx, "SELECT 1") // want "error returned by r.db.QueryContext is discarded with _"
	defer rows.Close()
}

// pgx rows whose error is never looked at.
func (r *Repo) Unchecked(ctx context.Context) int {
	rows, _ := r.pool.Query(ctx, "SELECT 1") // want "error returned by r.pool.Query is discarded with _"
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n
}

// Inside closures and goroutines.
func serve(srv *http.Server, r *Repo) {
	go func() {
		srv.ListenAndServe() // want "error returned by srv.ListenAndServe is dropped"
	}()
	notify := func(ctx context.Context) {
		r.publish(ctx, "started") // want "error returned by r.publish is dropped"
	}
	notify(context.Background())
}

// A constructed error that goes nowhere: a missing return.
func validate(id int64) error {
	if id <= 0 {
		fmt.Errorf("invalid id %d", id) // want "error built by fmt.Errorf is never used \\(missing return\\?\\)"
	}
	if id > 1<<40 {
		errors.New("id too large") // want "error built by errors.New is never used"
	}
	return nil
}

func relay(w io.Writer, body io.Reader) {
	io.Copy(w, body) // want "error returned by io.Copy is dropped"
}

// Quiet: deferred calls, Close and Flush, the print family.
func (r *Repo) Deferred(ctx context.Context) error {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	defer func() {
		r.publish(ctx, "deferred")
	}()
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	rows.Close()
	fmt.Println("done")
	fmt.Fprintf(os.Stderr, "done\n")
	return tx.Commit(ctx)
}

// Quiet: writes that cannot fail, and writes to a response or to the console.
func render(w http.ResponseWriter, name string) string {
	var buf bytes.Buffer
	buf.WriteString("hello ")
	io.WriteString(&buf, name)
	var sb strings.Builder
	sb.WriteString(buf.String())
	h := sha256.New()
	h.Write(buf.Bytes())
	w.Write(buf.Bytes())
	io.WriteString(os.Stderr, "rendered\n")
	return sb.String()
}

// Quiet: draining a body before closing it.
func drain(resp *http.Response) {
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// Quiet: discarded on purpose, with _ for every result.
func (r *Repo) Cleanup(ctx context.Context, tx *sql.Tx) {
	_ = tx.Rollback()
	_, _ = r.db.ExecContext(ctx, "DELETE FROM tmp")
	_, _ = r.count(ctx)
}

// Quiet: pgx reports the query's error through the rows.
func (r *Repo) IDs(ctx context.Context) ([]int64, error) {
	rows, _ := r.pool.Query(ctx, "SELECT id FROM orders")
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

func (r *Repo) Kinds(ctx context.Context) ([]string, error) {
	rows, _ := r.pool.Query(ctx, "SELECT kind FROM events")
	defer rows.Close()
	var kinds []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		kinds = append(kinds, k)
	}
	return kinds, rows.Err()
}

// Quiet: a local writer whose Write never fails.
type counter struct{ n int }

func (c *counter) Write(p []byte) (int, error) {
	c.n += len(p)
	return len(p), nil
}

func (c *counter) WriteString(s string) (int, error) { return c.Write([]byte(s)) }

func measure(c *counter, s string) int {
	c.Write([]byte(s))
	c.WriteString(s)
	io.WriteString(c, s)
	return c.n
}

// Quiet: of two errors, one is kept; the error is checked; calls gobex cannot resolve.
func run() (friendly, raw error) { return nil, nil }

func (r *Repo) Checked(ctx context.Context, hook func() error) error {
	_, err := run()
	if err != nil {
		return err
	}
	hook()
	if err := r.publish(ctx, "checked"); err != nil {
		return err
	}
	return nil
}

// Quiet: a function whose error is always nil, and print-style methods.
func version() (string, error) { return "1.0", nil }

type logger struct{ w io.Writer }

func (l *logger) Printf(format string, args ...any) (int, error) {
	return fmt.Fprintf(l.w, format, args...)
}

func banner(l *logger) string {
	v, _ := version()
	l.Printf("version %s", v)
	return v
}

// Quiet: a named error result that nothing sets; reported when something does.
type digest struct{ n int }

func (d *digest) Write(p []byte) (nn int, err error) {
	nn = len(p)
	d.n += nn
	return
}

type limited struct{ left int }

func (l *limited) Write(p []byte) (n int, err error) {
	if len(p) > l.left {
		err = io.ErrShortWrite
	}
	n = len(p)
	return
}

func checksum(d *digest, l *limited, p []byte) int {
	d.Write(p)
	l.Write(p) // want "error returned by l.Write is dropped"
	return d.n
}

// A request built from constants fails on every run or on none; from a variable it may fail.
const healthURL = "http://localhost:8080"

func probes(target string) (*http.Request, *http.Request) {
	fixed, _ := http.NewRequest("GET", healthURL+"/healthz", nil)
	dynamic, _ := http.NewRequest("GET", target, nil) // want "error returned by http.NewRequest is discarded with _"
	return fixed, dynamic
}

// Quiet: the error accessor of rows is PG002's business.
func (r *Repo) Loop(ctx context.Context) {
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() {
	}
	rows.Err()
}

// pgx keeps a Scan error for rows.Err(): quiet when Err is checked; PG016 reports it when not.
func (r *Repo) Totals(ctx context.Context) ([]int64, error) {
	rows, err := r.pool.Query(ctx, "SELECT total FROM orders")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var totals []int64
	for rows.Next() {
		var t int64
		rows.Scan(&t)
		totals = append(totals, t)
	}
	return totals, rows.Err()
}

func (r *Repo) Sum(ctx context.Context) int64 {
	rows, err := r.pool.Query(ctx, "SELECT total FROM orders")
	if err != nil {
		return 0
	}
	defer rows.Close()
	var sum int64
	for rows.Next() {
		var t int64
		rows.Scan(&t) // PG016 reports a dropped Scan error (reported once)
		sum += t
	}
	return sum
}
