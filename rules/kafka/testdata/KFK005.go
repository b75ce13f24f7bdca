package events

import (
	"time"

	kafka "github.com/IBM/sarama"
)

func newProducer(brokers []string) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.RequiredAcks = kafka.WaitForAll
	return kafka.NewSyncProducer(brokers, cfg) // want "NewSyncProducer fails with a ConfigurationError: the config does not set Producer.Return.Successes = true"
}

// Config from a helper of the package.
func baseConfig() *kafka.Config {
	c := kafka.NewConfig()
	c.Producer.Timeout = 5 * time.Second
	return c
}

func fromHelper(brokers []string) (kafka.SyncProducer, error) {
	return kafka.NewSyncProducer(brokers, baseConfig()) // want "does not set Producer.Return.Successes = true"
}

// Through a client built with the defaults: NewClient does not set Successes.
func fromDefaultClient(brokers []string) (kafka.SyncProducer, error) {
	client, err := kafka.NewClient(brokers, nil)
	if err != nil {
		return nil, err
	}
	return kafka.NewSyncProducerFromClient(client) // want "the default config of NewClient does not set Producer.Return.Successes = true"
}

// Errors switched off.
func quietErrors(brokers []string) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.Return.Successes = true
	cfg.Producer.Return.Errors = false
	return kafka.NewSyncProducer(brokers, cfg) // want "the config sets Producer.Return.Errors = false"
}

// Explicitly false.
func explicitFalse(brokers []string) (kafka.SyncProducer, error) {
	var cfg = kafka.NewConfig()
	cfg.Producer.Return.Successes = false
	return kafka.NewSyncProducer(brokers, cfg) // want "does not set Producer.Return.Successes = true"
}

// Quiet: set.
func valid(brokers []string) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.Return.Successes = true
	return kafka.NewSyncProducer(brokers, cfg)
}

// Quiet: nil config, sarama sets it.
func defaults(brokers []string) (kafka.SyncProducer, error) {
	return kafka.NewSyncProducer(brokers, nil)
}

// Quiet: set by a local helper the config is handed to.
func enableSuccesses(cfg *kafka.Config) {
	cfg.Producer.Return.Successes = true
}

func viaHelper(brokers []string) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	enableSuccesses(cfg)
	return kafka.NewSyncProducer(brokers, cfg)
}

// Quiet: a config from the caller.
func fromCaller(brokers []string, cfg *kafka.Config) (kafka.SyncProducer, error) {
	return kafka.NewSyncProducer(brokers, cfg)
}

// Quiet: a client whose config sets it.
func fromClient(brokers []string) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.Return.Successes = true
	client, err := kafka.NewClient(brokers, cfg)
	if err != nil {
		return nil, err
	}
	return kafka.NewSyncProducerFromClient(client)
}

// Quiet: a value gobex cannot judge.
func flagged(brokers []string, want bool) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.Return.Successes = want
	return kafka.NewSyncProducer(brokers, cfg)
}
