package producer

import (
	franz "github.com/twmb/franz-go/pkg/kgo"
)

func options(brokers []string) []franz.Opt {
	return []franz.Opt{
		franz.SeedBrokers(brokers...),
		franz.RequiredAcks(franz.LeaderAck()), // want "the franz-go producer waits for the leader only \\(LeaderAck\\(\\)\\)"
		franz.DisableIdempotentWrite(),
	}
}

func fast(opts []franz.Opt) []franz.Opt {
	return append(opts, franz.RequiredAcks(franz.NoAck()), franz.DisableIdempotentWrite()) // want "does not wait for any broker \\(NoAck\\(\\)\\)"
}

func appended(brokers []string, lossy bool) (*franz.Client, error) {
	opts := []franz.Opt{franz.SeedBrokers(brokers...)}
	if lossy {
		opts = append(opts, franz.RequiredAcks(franz.LeaderAck())) // want "waits for the leader only"
		opts = append(opts, franz.DisableIdempotentWrite())
	}
	return franz.NewClient(opts...)
}

// Quiet: the default, spelled out.
func durable(brokers []string) (*franz.Client, error) {
	return franz.NewClient(franz.SeedBrokers(brokers...), franz.RequiredAcks(franz.AllISRAcks()))
}

// Quiet: acks from configuration.
func configured(brokers []string, acks franz.Acks) (*franz.Client, error) {
	return franz.NewClient(franz.SeedBrokers(brokers...), franz.RequiredAcks(acks))
}

type limiter struct{}

func (limiter) RequiredAcks(n int) int { return n }

// Quiet: someone else's RequiredAcks.
func other(l limiter) int {
	return l.RequiredAcks(1)
}
