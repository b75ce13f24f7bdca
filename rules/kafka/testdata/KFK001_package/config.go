package events

import "github.com/Shopify/sarama"

// The config is built in a helper of another file.
func newConfig(version sarama.KafkaVersion) *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Version = version
	cfg.Producer.Return.Successes = true
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	return cfg
}

func quietConfig() *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Producer.Return.Errors = false
	return cfg
}
