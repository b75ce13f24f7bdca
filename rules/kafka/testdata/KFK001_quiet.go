package events

import (
	"github.com/Shopify/sarama"
)

// Quiet: Return.Errors switched off.
func noErrors(brokers []string) error {
	config := sarama.NewConfig()
	config.Producer.Return.Errors = false
	producer, err := sarama.NewAsyncProducer(brokers, config)
	if err != nil {
		return err
	}
	producer.Input() <- &sarama.ProducerMessage{Topic: "t"}
	return producer.Close()
}

// Quiet: the producer is returned; the caller reads its channels.
func open(brokers []string) (sarama.AsyncProducer, error) {
	return sarama.NewAsyncProducer(brokers, nil)
}

// Quiet: the config comes from a parameter gobex cannot see.
func withConfig(brokers []string, cfg *sarama.Config) error {
	producer, err := sarama.NewAsyncProducer(brokers, cfg)
	if err != nil {
		return err
	}
	return producer.Close()
}

// Quiet: a SyncProducer has no channels to drain.
func syncProducer(brokers []string) error {
	config := sarama.NewConfig()
	config.Producer.Return.Successes = true
	producer, err := sarama.NewSyncProducer(brokers, config)
	if err != nil {
		return err
	}
	return producer.Close()
}
