package billing

import "github.com/Shopify/sarama"

func producerConfig() *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Producer.Idempotent = true
	cfg.Producer.Return.Successes = true
	return cfg
}

func consumerConfig() *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	return cfg
}
