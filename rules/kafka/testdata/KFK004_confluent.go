package ingest

import (
	"github.com/confluentinc/confluent-kafka-go/kafka"
)

func producer(brokers string) (*kafka.Producer, error) {
	return kafka.NewProducer(&kafka.ConfigMap{
		"bootstrap.servers":  brokers,
		"enable.idempotence": false, // want "idempotence is disabled on a producer with \"retries\""
		"retries":            5,
	})
}

func producerConfig(brokers string) *kafka.ConfigMap {
	conf := &kafka.ConfigMap{"bootstrap.servers": brokers}
	conf.SetKey("enable.idempotence", "false")
	conf.SetKey("acks", "1")
	return conf
}

func fromHelper(brokers string) (*kafka.Producer, error) {
	return kafka.NewProducer(producerConfig(brokers)) // want "idempotence is disabled on a producer with \"acks\": 1"
}

// Quiet: idempotent.
func idempotent(brokers string) (*kafka.Producer, error) {
	return kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers, "enable.idempotence": true, "retries": 5})
}

// Quiet: not idempotent, but nothing is retried.
func noRetries(brokers string) (*kafka.Producer, error) {
	return kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers, "enable.idempotence": false, "retries": 0})
}

// Quiet: a consumer.
func consumer(brokers string) (*kafka.Consumer, error) {
	return kafka.NewConsumer(&kafka.ConfigMap{"bootstrap.servers": brokers, "group.id": "g"})
}
