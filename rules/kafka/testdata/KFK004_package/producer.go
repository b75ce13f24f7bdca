package billing

import "github.com/Shopify/sarama"

// The config comes from a helper in config.go.
func NewProducer(brokers []string) (sarama.SyncProducer, error) {
	return sarama.NewSyncProducer(brokers, producerConfig()) // want "the idempotent producer needs Producer.RequiredAcks = WaitForAll"
}

// Quiet: a consumer config.
func NewConsumer(brokers []string) (sarama.Consumer, error) {
	return sarama.NewConsumer(brokers, consumerConfig())
}
