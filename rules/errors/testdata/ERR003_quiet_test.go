package orders

import (
	"context"
	"database/sql"
	"testing"
)

// Quiet: test code; a failure shows up as a failing test.
func TestArchive(t *testing.T) {
	var db *sql.DB
	db.Exec("CREATE TABLE orders (id int)")
	rows, _ := db.QueryContext(context.Background(), "SELECT 1")
	defer rows.Close()
	db.Ping()
}
