package events

import (
	kafka "github.com/IBM/sarama"
)

func newConfig() *kafka.Config {
	cfg := kafka.NewConfig()
	cfg.Producer.RequiredAcks = kafka.WaitForLocal // want "the sarama producer waits for the leader only \\(kafka.WaitForLocal\\): acknowledged messages are lost when the leader fails"
	cfg.Producer.Return.Successes = true
	return cfg
}

type Settings struct {
	config *kafka.Config
}

func (s *Settings) fireAndForget() {
	s.config.Producer.RequiredAcks = kafka.NoResponse // want "the sarama producer does not wait for any broker \\(kafka.NoResponse\\): failed writes are lost silently"
}

func numeric(cfg *kafka.Config) {
	cfg.Producer.RequiredAcks = 1 // want "waits for the leader only \\(1\\)"
}

// Quiet: all in-sync replicas.
func durable() *kafka.Config {
	cfg := kafka.NewConfig()
	cfg.Producer.RequiredAcks = kafka.WaitForAll
	cfg.Producer.Idempotent = true
	return cfg
}

// Quiet: the value comes from configuration.
func configured(cfg *kafka.Config, acks kafka.RequiredAcks) {
	cfg.Producer.RequiredAcks = acks
}

// Quiet: another struct's RequiredAcks field.
type Options struct {
	RequiredAcks int
}

func options(o *Options) {
	o.RequiredAcks = 1
}
