//go:build ignore

// Quiet (lib/pq oid/gen.go): a generator run by hand with `go run`.
package main

import (
	"database/sql"
	"log"
)

func main() {
	db, err := sql.Open("postgres", "")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
}
