package store

import (
	"database/sql"
	"time"
)

// Quiet: the package configures its pools (here in a helper).
func open(dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	configure(db)
	return db, nil
}

func leak(dsn string) *sql.DB {
	db, _ := sql.Open("pgx", dsn)
	return db
}

func configure(db *sql.DB) {
	db.SetMaxOpenConns(20)
	db.SetConnMaxLifetime(time.Hour)
}
