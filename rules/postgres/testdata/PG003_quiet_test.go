package repo

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Quiet: tests splice their own fixed inputs (pgx values_test.go).
func testJSON(t *testing.T, conn *pgx.Conn, typename string) {
	var out string
	if err := conn.QueryRow(context.Background(), "select $1::"+typename, "{}").Scan(&out); err != nil {
		t.Fatal(err)
	}
}
