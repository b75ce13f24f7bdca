module github.com/gobex-dev/orders-example

go 1.21

require (
	github.com/IBM/sarama v1.43.2
	github.com/gocql/gocql v1.6.0
	github.com/jackc/pgx/v5 v5.6.0
	golang.org/x/sync v0.7.0
)
