package events

import (
	"context"

	kafka "github.com/IBM/sarama"
)

// Idempotence alone: sarama's defaults (WaitForLocal, 5 requests in flight) fail validation.
func newProducer(brokers []string) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.Idempotent = true
	cfg.Producer.Return.Successes = true
	return kafka.NewSyncProducer(brokers, cfg) // want "sarama rejects this config at startup: the idempotent producer needs Producer.RequiredAcks = WaitForAll \\(the default is WaitForLocal\\), Net.MaxOpenRequests = 1 \\(the default is 5\\)"
}

// Built in a helper, used by the caller.
func idempotentConfig() *kafka.Config {
	c := kafka.NewConfig()
	c.Version = kafka.V0_10_2_0
	c.Producer.Idempotent = true
	c.Producer.RequiredAcks = kafka.WaitForAll
	c.Net.MaxOpenRequests = 1
	c.Producer.Retry.Max = 0
	return c
}

func newAsync(brokers []string) (kafka.AsyncProducer, error) {
	return kafka.NewAsyncProducer(brokers, idempotentConfig()) // want "needs Producer.Retry.Max >= 1 \\(not 0\\), Version >= V0_11_0_0 \\(not kafka.V0_10_2_0\\)"
}

// A transactional id without idempotence.
func newTransactional(brokers []string) (kafka.Client, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.Transaction.ID = "billing-tx"
	cfg.Producer.RequiredAcks = kafka.WaitForAll
	return kafka.NewClient(brokers, cfg) // want "Producer.Transaction.ID needs Producer.Idempotent = true"
}

// Settings made in a local helper the config is handed to count too.
func tune(cfg *kafka.Config) {
	cfg.Producer.Idempotent = true
	cfg.Producer.RequiredAcks = kafka.WaitForAll
}

func newGroup(brokers []string) (kafka.ConsumerGroup, error) {
	cfg := kafka.NewConfig()
	tune(cfg)
	return kafka.NewConsumerGroup(brokers, "billing", cfg) // want "needs Net.MaxOpenRequests = 1 \\(the default is 5\\)"
}

// Quiet: everything idempotence needs.
func valid(brokers []string) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Version = kafka.V2_8_0_0
	cfg.Producer.Idempotent = true
	cfg.Producer.RequiredAcks = kafka.WaitForAll
	cfg.Net.MaxOpenRequests = 1
	cfg.Producer.Return.Successes = true
	return kafka.NewSyncProducer(brokers, cfg)
}

// Quiet: the rest of the config is set by a function of another package.
func external(brokers []string, apply func(*kafka.Config)) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.Idempotent = true
	apply(cfg)
	return kafka.NewSyncProducer(brokers, cfg)
}

// Quiet: a transactional producer that is idempotent.
func transactional(brokers []string) (kafka.AsyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Version = kafka.V2_8_0_0
	cfg.Producer.Idempotent = true
	cfg.Producer.RequiredAcks = kafka.WaitForAll
	cfg.Net.MaxOpenRequests = 1
	cfg.Producer.Transaction.ID = "billing-tx"
	return kafka.NewAsyncProducer(brokers, cfg)
}

// Quiet: not idempotent.
func plain(ctx context.Context, brokers []string) (kafka.SyncProducer, error) {
	cfg := kafka.NewConfig()
	cfg.Producer.Return.Successes = true
	return kafka.NewSyncProducer(brokers, cfg)
}

// Quiet: a config from the caller.
func fromCaller(brokers []string, cfg *kafka.Config) (kafka.SyncProducer, error) {
	cfg.Producer.Idempotent = true
	return kafka.NewSyncProducer(brokers, cfg)
}
