package repo

import (
	"context"
	"database/sql"
	"errors"
	"testing"
)

// Tests that expect Prepare to fail have nothing to close.

// Quiet: from go-sqlmock sqlmock_go18_test.go (TestContextPrepareErrorDelay): the
// error is compared with the expected one in the `if` after the assignment.
func TestPrepareCanceled(t *testing.T, db *sql.DB, ctx context.Context) {
	_, err := db.PrepareContext(ctx, "SELECT")
	if err != context.Canceled {
		t.Error("error was expected since context was already done")
	}
}

// Quiet: from go-sqlmock sqlmock_test.go (TestPreparedQueryExecutions): the
// statement variable is re-used for a Prepare that must fail.
func TestPrepareMustFail(t *testing.T, db *sql.DB) {
	stmt, err := db.Prepare("SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	stmt, err = db.Prepare("SELECT bad")
	if err == nil {
		t.Error("error was expected while creating a prepared statement")
	}
	if stmt != nil {
		t.Error("stmt was not expected")
	}
}

// Quiet: from go-sqlmock sqlmock_test.go (TestPrepareExpectations): the `if`
// initializer form, whose success branch fails the test.
func TestPrepareNoMatch(t *testing.T, db *sql.DB) {
	if _, err := db.Prepare("SELECT"); err == nil {
		t.Fatal("prepare should not match expected query string")
	}
}

// Quiet: `!errors.Is` form of the expected error.
func TestPrepareCanceledIs(t *testing.T, db *sql.DB, ctx context.Context) {
	_, err := db.PrepareContext(ctx, "SELECT")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("expected context.Canceled, got %v", err)
	}
}

// Still reported: the first statement of the re-used variable leaks.
func TestPrepareFirstLeaks(t *testing.T, db *sql.DB) {
	stmt, err := db.Prepare("SELECT 1") // want "statement from Prepare is never closed"
	if err != nil {
		t.Fatal(err)
	}
	stmt.Exec()
	stmt, err = db.Prepare("SELECT bad")
	if err == nil {
		t.Error("error was expected")
	}
}

// Still reported: the success branch uses the statement.
func TestPrepareUsedOnSuccess(t *testing.T, db *sql.DB) {
	stmt, err := db.Prepare("SELECT 2") // want "statement from Prepare is never closed"
	if err == nil {
		stmt.Exec()
	}
}

// Still reported: the initializer form whose success branch goes on.
func prepareProbe(db *sql.DB) bool {
	if _, err := db.Prepare("SELECT 3"); err == nil { // want "statement from Prepare is discarded and never closed"
		return true
	}
	return false
}
