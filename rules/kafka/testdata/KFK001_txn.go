package main

import (
	"github.com/IBM/sarama"
)

// Quiet: the transactional example builds its config in a func value handed to
// a provider (Return.Errors = false there); gobex cannot follow the func value.
type producerProvider struct {
	producers []sarama.AsyncProducer
	make      func() sarama.AsyncProducer
}

func newProducerProvider(brokers []string, configure func() *sarama.Config) *producerProvider {
	provider := &producerProvider{}
	provider.make = func() sarama.AsyncProducer {
		config := configure()
		producer, err := sarama.NewAsyncProducer(brokers, config)
		if err != nil {
			return nil
		}
		return producer
	}
	return provider
}

func main() {
	provider := newProducerProvider([]string{"localhost:9092"}, func() *sarama.Config {
		config := sarama.NewConfig()
		config.Producer.Idempotent = true
		config.Producer.Return.Errors = false
		config.Producer.RequiredAcks = sarama.WaitForAll
		config.Net.MaxOpenRequests = 1
		return config
	})
	producer := provider.make()
	producer.Input() <- &sarama.ProducerMessage{Topic: "t"}
	_ = producer.Close()
}
