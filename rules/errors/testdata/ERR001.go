package repo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	pkgerrors "github.com/pkg/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var errNotFound = errors.New("not found")

type Repo struct {
	db    *sql.DB
	cause error
}

func (r *Repo) Name(ctx context.Context, id int64) (string, error) {
	var name string
	err := r.db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", id).Scan(&name)
	if err != nil {
		return "", fmt.Errorf("load user %d: %v", id, err) // want "fmt.Errorf formats err with %v instead of wrapping it with %w"
	}
	return name, nil
}

func (r *Repo) Names(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return fmt.Errorf("query: %s", err) // want "formats err with %s"
	}
	defer rows.Close()
	for rows.Next() {
	}
	return fmt.Errorf("iterate: %+v", rows.Err()) // want `formats rows.Err\(\) with %\+v`
}

// A struct field typed error, recognised by its declared type.
func (r *Repo) Last() error {
	return fmt.Errorf("last failure: %v", r.cause) // want "formats r.cause with %v"
}

// Passed through a local helper: the parameter's declared type says error.
func annotate(op string, cause error) error {
	return fmt.Errorf("%s: %v", op, cause) // want "formats cause with %v"
}

// Inside a closure.
func (r *Repo) Each(ctx context.Context, ids []int64) error {
	visit := func(id int64) error {
		if _, err := r.Name(ctx, id); err != nil {
			return fmt.Errorf("visit %d: %v", id, err) // want "formats err with %v"
		}
		return nil
	}
	for _, id := range ids {
		if err := visit(id); err != nil {
			return err
		}
	}
	return nil
}

// A package-level sentinel, and explicit argument indexes.
func missing(key string) error {
	return fmt.Errorf("%[2]v: %[1]q", key, errNotFound) // want `formats errNotFound with %\[2\]v`
}

// A `*` width consumes an operand before the error's verb.
func padded(width int, name string, err error) error {
	return fmt.Errorf("%*s: %v", width, name, err) // want "formats err with %v"
}

// Since Go 1.20 a format may wrap several errors (unknown version = newest Go).
func both(readErr, closeErr error) error {
	return fmt.Errorf("read: %v, close: %v", readErr, closeErr) // want "formats readErr with %v" "formats closeErr with %v"
}

func already(closeErr error) error {
	err := errors.New("read failed")
	return fmt.Errorf("%w (close: %v)", err, closeErr) // want "formats closeErr with %v"
}

// Quiet: already wrapped.
func wrapped(err error) error {
	return fmt.Errorf("save: %w", err)
}

// Quiet: gRPC status errors cannot wrap.
func rpc(err error) error {
	return status.Errorf(codes.Internal, "save: %v", err)
}

// Quiet: pkg/errors.Errorf does not understand %w.
func legacy(err error) error {
	return pkgerrors.Errorf("save: %v", err)
}

// Quiet: verbs that print something other than the error's text.
func quoted(err error) error {
	return fmt.Errorf("save: %q %#v %20v %.10s", err, err, err, err)
}

// Quiet: the error's message, a string, on purpose.
func message(err error) error {
	return fmt.Errorf("save: %s", err.Error())
}

// Quiet: named like an error but declared as something else.
func notAnError(err string, code int) error {
	return fmt.Errorf("save: %v (code %v)", err, code)
}

// Quiet: recover() returns any, not an error.
func recovered() (err error) {
	defer func() {
		if err := recover(); err != nil {
			_ = fmt.Errorf("panic: %v", err)
		}
	}()
	return nil
}

// Quiet: the format is not known, or does not match its operands.
func dynamic(format string, args ...any) error {
	fmt.Println(fmt.Sprintf("%v", errNotFound))
	_ = fmt.Errorf("%[3]v", errNotFound)
	return fmt.Errorf(format, args...)
}

// Quiet: %% consumes no operand, so the error is formatted by %w.
func percent(ratio int, err error) error {
	return fmt.Errorf("%d%% done: %w", ratio, err)
}
