package producer

import (
	"github.com/twmb/franz-go/pkg/kgo"
)

func lossy(brokers []string) (*kgo.Client, error) {
	opts := []kgo.Opt{kgo.SeedBrokers(brokers...)}
	opts = append(opts,
		kgo.RequiredAcks(kgo.LeaderAck()),
		kgo.DisableIdempotentWrite(), // want "idempotent writes are disabled on a producer with LeaderAck\\(\\): a retried batch can be written twice and out of order"
	)
	return kgo.NewClient(opts...)
}

func baseOptions(brokers []string) []kgo.Opt {
	return []kgo.Opt{kgo.SeedBrokers(brokers...), kgo.RecordRetries(10)}
}

func retrying(brokers []string) (*kgo.Client, error) {
	return kgo.NewClient(append(baseOptions(brokers), kgo.DisableIdempotentWrite())...) // want "idempotent writes are disabled on a producer with RecordRetries"
}

// Quiet: the default (idempotent, acks=all).
func durable(brokers []string) (*kgo.Client, error) {
	return kgo.NewClient(kgo.SeedBrokers(brokers...))
}

// Quiet: idempotence off without retries nor weak acks.
func noRetries(brokers []string) (*kgo.Client, error) {
	return kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DisableIdempotentWrite(), kgo.RecordRetries(0))
}

// Quiet: a consumer.
func consumer(brokers []string) (*kgo.Client, error) {
	return kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumerGroup("g"), kgo.ConsumeTopics("t"))
}
