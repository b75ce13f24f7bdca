package ingest

import (
	"github.com/confluentinc/confluent-kafka-go/kafka"
)

func producer(brokers string) (*kafka.Producer, error) {
	return kafka.NewProducer(&kafka.ConfigMap{
		"bootstrap.servers": brokers,
		"acks":              "1", // want "the confluent producer waits for the leader only \\(\"acks\": \"1\"\\)"
	})
}

func legacy(brokers string) (*kafka.Producer, error) {
	conf := kafka.ConfigMap{"bootstrap.servers": brokers}
	conf["request.required.acks"] = 0 // want "does not wait for any broker"
	return kafka.NewProducer(&conf)
}

func setKey(conf *kafka.ConfigMap) error {
	return conf.SetKey("acks", "0") // want "does not wait for any broker"
}

// Quiet: all replicas.
func durable(brokers string) (*kafka.Producer, error) {
	return kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers, "acks": "all"})
}

// Quiet: a plain map, not a ConfigMap.
func labels() map[string]string {
	return map[string]string{"acks": "1"}
}

// Quiet: acks -1 is all.
func numeric(conf kafka.ConfigMap) error {
	return conf.SetKey("acks", -1)
}
