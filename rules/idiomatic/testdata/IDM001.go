// gobex:select PG001

package repo

import (
	"context"
	"database/sql"
)

type Repo struct {
	db *sql.DB
}

// Reported: the rows are closed, so the trailing //nolint:PG001 silences nothing.
func (r *Repo) trailingByCode(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1") //nolint:PG001 // want "unused //nolint for PG001"
	if err != nil {
		return err
	}
	defer rows.Close()
	return rows.Err()
}

// Reported: the rule named by its name, on the line above a clean statement.
func (r *Repo) aboveByName(ctx context.Context) error {
	//nolint:unclosed-rows // want "unused //nolint for unclosed-rows"
	rows, err := r.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	return rows.Err()
}

// Reported: only the gobex name is stale; errcheck's name is left for golangci-lint.
func (r *Repo) mixedWithOtherLinter(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1") //nolint:errcheck,PG001 // want "unused //nolint for PG001"
	if err != nil {
		return err
	}
	defer rows.Close()
	return rows.Err()
}

// Reported: a //nolint above a whole declaration where the rule finds nothing.
//
//nolint:pg001 // want "unused //nolint for pg001"
func (r *Repo) aboveDeclaration(ctx context.Context) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, "SELECT 1")
}

// Quiet: the //nolint:PG001 silences a real finding (rows never closed).
func (r *Repo) usedByCode(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1") //nolint:PG001 // closed by the stream owner
	if err != nil {
		return err
	}
	return rows.Err()
}

// Quiet: used by name on the line above a multi-line statement.
func (r *Repo) usedByNameAbove(ctx context.Context, id int) error {
	//nolint:unclosed-rows // handed to the cursor registry elsewhere
	rows, err := r.db.QueryContext(
		ctx,
		"SELECT $1",
		id,
	)
	if err != nil {
		return err
	}
	return rows.Err()
}

// Quiet: a bare //nolint may be meant for any linter.
func (r *Repo) bare(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1") //nolint
	if err != nil {
		return err
	}
	defer rows.Close()
	return rows.Err()
}

// Quiet: //nolint:all and //nolint:gobex silence everything and are never judged.
func (r *Repo) allAndGobex(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1") //nolint:all
	if err != nil {
		return err
	}
	defer rows.Close() //nolint:gobex
	return rows.Err()
}

// Quiet: only other linters are named.
func (r *Repo) otherLinters(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1") //nolint:errcheck,gosec // legacy
	if err != nil {
		return err
	}
	defer rows.Close()
	return rows.Err()
}

// Quiet: "// nolint" with a space is not a directive, so it is not judged either.
func (r *Repo) notADirective(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT 1") // nolint:PG001
	if err != nil {
		return err
	}
	defer rows.Close()
	return rows.Err()
}
