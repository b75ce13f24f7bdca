package store

import (
	"database/sql"

	"github.com/pkg/errors"
)

type repo struct{ db *sql.DB }

func (r *repo) get(id int) error { return errors.New("x") }

// github.com/pkg/errors imported as errors has Is (since v0.9.0): the fix uses it.
func (r *repo) exists(id int) (bool, error) {
	err := r.get(id)
	if err == sql.ErrNoRows { // want "err == sql.ErrNoRows is false once the error is wrapped"
		return false, nil
	}
	return err == nil, errors.Wrap(err, "exists")
}

// Quiet: errors.Cause unwraps on purpose, the pre-Go 1.13 way.
func (r *repo) missing(id int) bool {
	return errors.Cause(r.get(id)) == sql.ErrNoRows
}

func (r *repo) gone(id int) bool {
	cause := errors.Cause(r.get(id))
	return cause == sql.ErrNoRows
}
