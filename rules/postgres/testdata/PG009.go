package store

import (
	"database/sql"

	"github.com/jmoiron/sqlx"
)

type Store struct {
	db *sql.DB
	x  *sqlx.DB
}

var global *sql.DB

func init() {
	var err error
	global, err = sql.Open("pgx", "postgres:///app") // want "the pool from sql.Open never gets SetMaxOpenConns"
	if err != nil {
		panic(err)
	}
}

func newStore(dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn) // want "the pool from sql.Open never gets SetMaxOpenConns"
	if err != nil {
		return nil, err
	}
	x := sqlx.MustConnect("postgres", dsn) // want "the pool from sqlx.MustConnect never gets SetMaxOpenConns"
	return &Store{db: db, x: x}, nil
}

func run(dsn string) error {
	db, err := sqlx.Open("postgres", dsn) // want "the pool from sqlx.Open never gets"
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Ping()
}

// Quiet: constructors hand the pool to a caller who may configure it.
func Open(dsn string) (*sql.DB, error) {
	return sql.Open("pgx", dsn)
}

// Quiet: returned through a local.
func OpenX(dsn string) (*sqlx.DB, error) {
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	return db, nil
}

func New(dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn) // want "the pool from sql.Open never gets"
	if err != nil {
		return nil, err
	}
	return &Store{db: db}, nil
}

// Quiet: the caller reaches the pool through an exported field.
type Client struct{ DB *sql.DB }

func openClient(dsn string) (*Client, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	return &Client{DB: db}, nil
}

// Quiet: from aws-sdk-go example/service/rds/rdsutils/authentication: the pool is
// discarded (only the DSN is checked), so it never opens a connection.
func checkDSN(dsn string) error {
	if _, err := sql.Open("pgx", dsn); err != nil {
		return err
	}
	return nil
}
