package main

import (
	"errors"
	"os"
	"strings"
)

type config struct {
	Addr           string
	AdminAddr      string
	PostgresURL    string
	CRMURL         string
	CassandraHosts []string
	KafkaBrokers   []string
	PaymentsURL    string
	PaymentsKey    string
}

// loadConfig reads the configuration from ORDERS_* environment variables.
func loadConfig() (config, error) {
	cfg := config{
		Addr:           env("ORDERS_ADDR", ":8080"),
		AdminAddr:      env("ORDERS_ADMIN_ADDR", ":8081"),
		PostgresURL:    os.Getenv("ORDERS_POSTGRES_URL"),
		CRMURL:         os.Getenv("ORDERS_CRM_URL"),
		CassandraHosts: list(env("ORDERS_CASSANDRA_HOSTS", "localhost")),
		KafkaBrokers:   list(env("ORDERS_KAFKA_BROKERS", "localhost:9092")),
		PaymentsURL:    env("ORDERS_PAYMENTS_URL", "https://api.payments.example"),
		PaymentsKey:    os.Getenv("ORDERS_PAYMENTS_KEY"),
	}
	var missing []error
	for name, value := range map[string]string{
		"ORDERS_POSTGRES_URL": cfg.PostgresURL,
		"ORDERS_CRM_URL":      cfg.CRMURL,
		"ORDERS_PAYMENTS_KEY": cfg.PaymentsKey,
	} {
		if value == "" {
			missing = append(missing, errors.New(name+" is not set"))
		}
	}
	return cfg, errors.Join(missing...)
}

func env(name, fallback string) string {
	if value, ok := os.LookupEnv(name); ok && value != "" {
		return value
	}
	return fallback
}

func list(value string) []string {
	var items []string
	for _, item := range strings.Split(value, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}
