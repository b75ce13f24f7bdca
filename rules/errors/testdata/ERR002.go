package orders

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"

	"github.com/gocql/gocql"
	"github.com/jackc/pgconn"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var ErrNotFound = fmt.Errorf("order not found")

type Order struct{ ID int64 }

type Store struct {
	db      *sql.DB
	pool    *pgxpool.Pool
	session *gocql.Session
	lastErr error
}

func (s *Store) Get(ctx context.Context, id int64) (*Order, error) { return nil, nil }

func (s *Store) Find(ctx context.Context, id int64) (*Order, error) {
	o, err := s.Get(ctx, id)
	if err == sql.ErrNoRows { // want "err == sql.ErrNoRows is false once the error is wrapped; use errors.Is"
		return nil, ErrNotFound
	}
	return o, err
}

func (s *Store) Exists(ctx context.Context, id int64) (bool, error) {
	_, err := s.Get(ctx, id)
	if err != nil && err != ErrNotFound { // want "err != ErrNotFound is true once the error is wrapped"
		return false, err
	}
	return err == nil, nil
}

// A struct field holding an error, and the sentinel on the left.
func (s *Store) Stopped() bool {
	return context.Canceled == s.lastErr // want "context.Canceled == s.lastErr is false once the error is wrapped"
}

// A helper the error is passed through.
func isNoRows(err error) bool {
	return err == pgx.ErrNoRows // want "err == pgx.ErrNoRows is false once the error is wrapped"
}

// Inside a closure.
func (s *Store) Each(ctx context.Context, ids []int64) error {
	visit := func(id int64) error {
		_, err := s.Get(ctx, id)
		if err == gocql.ErrNotFound { // want "err == gocql.ErrNotFound is false once the error is wrapped"
			return nil
		}
		return err
	}
	for _, id := range ids {
		if err := visit(id); err != nil {
			return err
		}
	}
	return nil
}

// Right after (*sql.Row).Scan the sentinel comes unwrapped today: a lower-priority finding.
func (s *Store) Name(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.db.QueryRowContext(ctx, "SELECT name FROM orders WHERE id = $1", id).Scan(&name)
	if err == sql.ErrNoRows { // want "err == sql.ErrNoRows works only while Scan returns it unwrapped; prefer errors.Is"
		return "", ErrNotFound
	}
	return name, err
}

func (s *Store) Total(ctx context.Context, id int64) (int64, error) {
	var total int64
	if err := s.pool.QueryRow(ctx, "SELECT total FROM orders WHERE id = $1", id).Scan(&total); err != pgx.ErrNoRows { // want "err != pgx.ErrNoRows works only while Scan returns it unwrapped"
		return total, err
	}
	return 0, ErrNotFound
}

// Type assertions and switches: reported, no fix (errors.As needs a target).
func (s *Store) Insert(ctx context.Context, o *Order) error {
	_, err := s.pool.Exec(ctx, "INSERT INTO orders (id) VALUES ($1)", o.ID)
	if pgErr, ok := err.(*pgconn.PgError); ok && pgErr.Code == "23505" { // want "type assertion on error err fails once the error is wrapped; use errors.As"
		return ErrNotFound
	}
	switch err.(type) { // want "type switch on error err misses wrapped errors; use errors.As"
	case *pgconn.PgError:
		return err
	}
	return err
}

func (s *Store) Classify(ctx context.Context, id int64) string {
	_, err := s.Get(ctx, id)
	switch err { // want "switch on error err compares its cases with ==, missing wrapped errors"
	case nil:
		return "ok"
	case ErrNotFound, sql.ErrNoRows:
		return "missing"
	}
	return "failed"
}

// Quiet: io.EOF straight from Read-style calls is the io contract.
func lines(r io.Reader) (int, error) {
	br := bufio.NewReader(r)
	n := 0
	for {
		_, err := br.ReadString('\n')
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

func drain(r io.Reader, buf []byte) error {
	for {
		_, err := r.Read(buf)
		switch err {
		case nil:
		case io.EOF:
			return nil
		default:
			return err
		}
	}
}

// Quiet: ctx.Err() returns the context errors themselves.
func cancelled(ctx context.Context) bool {
	return ctx.Err() == context.Canceled || ctx.Err() == context.DeadlineExceeded
}

// Quiet: ListenAndServe returns http.ErrServerClosed itself.
func serve(srv *http.Server) error {
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// Quiet: comparisons with nil, and between two error values.
func same(ctx context.Context, s *Store) bool {
	_, first := s.Get(ctx, 1)
	_, err := s.Get(ctx, 2)
	return err != nil && err == first
}

// Quiet: an Is method is where == belongs.
type notFound struct{ id int64 }

func (e *notFound) Error() string { return "not found" }

func (e *notFound) Is(target error) bool { return target == ErrNotFound }

// Quiet: walking the chain by hand.
type causer interface{ Cause() error }

func root(err error) error {
	for err != nil {
		c, ok := err.(causer)
		if !ok {
			return err
		}
		err = c.Cause()
	}
	return nil
}

func walk(err error, unwrap func(error) error) bool {
	for err != nil {
		if err == ErrNotFound {
			return true
		}
		err = Unwrap(err)
	}
	return false
}

func Unwrap(err error) error {
	u, ok := err.(interface{ Unwrap() error })
	if !ok {
		return nil
	}
	return u.Unwrap()
}

// Quiet: not errors. A Kafka-style error code type and values of type any.
type KError int16

const ErrNoError KError = 0

func (e KError) Error() string { return "kafka error" }

func ok(code KError) bool { return code == ErrNoError }

func recovered() (err error) {
	if r := recover(); r != nil {
		if e, isErr := r.(error); isErr {
			return e
		}
	}
	return nil
}

// Quiet: a nil error variable is not a sentinel.
var zeroErr error

func set(err error) bool { return err != zeroErr }

// Quiet: the field of an error the code already took apart.
func missingBinary(err error) bool {
	if ee, ok := err.(*exec.Error); ok && ee.Err == exec.ErrNotFound { // want "type assertion on error err"
		return true
	}
	return false
}

// Quiet: capability checks on the error value itself, and asserting to error.
func describe(v any, err error) string {
	if m, ok := err.(json.Marshaler); ok {
		b, _ := m.MarshalJSON()
		return string(b)
	}
	if t, ok := err.(interface{ Timeout() bool }); ok && t.Timeout() {
		return "timeout"
	}
	if e, ok := v.(error); ok {
		return e.Error()
	}
	return ""
}

// Quiet: io.EOF in a reader's error state or a parameter (the io contract).
type frameReader struct {
	r   io.Reader
	err error
}

func (f *frameReader) done() bool { return f.err == io.EOF }

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (f *frameReader) next(buf []byte) error {
	_, err := io.ReadFull(f.r, buf)
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	err = f.readHeader(buf)
	if err == io.ErrUnexpectedEOF {
		return io.EOF
	}
	err = f.decode(buf)
	if err == io.EOF { // want "err == io.EOF is false once the error is wrapped"
		return nil
	}
	return err
}

func (f *frameReader) readHeader(buf []byte) error { return nil }

func (f *frameReader) decode(buf []byte) error { return nil }

// Quiet: a type switch on capability interfaces of the value itself.
func marshalable(v any) bool {
	switch sv := v.(type) {
	case error:
		switch sv.(type) {
		case json.Marshaler, fmt.Stringer:
			return true
		}
	}
	return false
}

// Quiet: fmt's scanners and a tokenizer's Err() report io.EOF itself.
type tokenizer interface {
	Next() bool
	Err() error
}

func scan(line string, t tokenizer) (int, error) {
	var n int
	_, err := fmt.Sscanf(line, "%d", &n)
	if err != nil && err != io.EOF {
		return 0, err
	}
	for t.Next() {
	}
	if err := t.Err(); err != io.EOF {
		return n, err
	}
	return n, nil
}

// Quiet: an assignment in a branch that returns does not reach the comparison.
func (f *frameReader) body(buf []byte) (int, error) {
	n, err := f.r.Read(buf)
	if n > len(buf) {
		err = fmt.Errorf("short buffer")
		return 0, err
	}
	if err == io.EOF && n > 0 {
		return n, nil
	}
	return n, err
}
