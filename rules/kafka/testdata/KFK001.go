package events

import (
	"context"
	"log"

	kafka "github.com/IBM/sarama"
)

type Publisher struct {
	producer kafka.AsyncProducer
}

func newConfig() *kafka.Config {
	cfg := kafka.NewConfig()
	cfg.Producer.Return.Successes = true
	cfg.Producer.RequiredAcks = kafka.WaitForAll
	return cfg
}

// The producer lives in a struct field; nothing in the package drains either channel.
func NewPublisher(brokers []string) (*Publisher, error) {
	p, err := kafka.NewAsyncProducer(brokers, newConfig()) // want "Errors\\(\\) of this AsyncProducer is never read" "Successes\\(\\) of this AsyncProducer is never read"
	if err != nil {
		return nil, err
	}
	return &Publisher{producer: p}, nil
}

func (p *Publisher) Publish(ctx context.Context, topic string, value []byte) {
	p.producer.Input() <- &kafka.ProducerMessage{Topic: topic, Value: kafka.ByteEncoder(value)}
}

// Default config (nil): Return.Errors is true.
func fireAndForget(brokers []string, values [][]byte) error {
	producer, err := kafka.NewAsyncProducer(brokers, nil) // want "Errors\\(\\) of this AsyncProducer is never read"
	if err != nil {
		return err
	}
	defer producer.AsyncClose()
	for _, v := range values {
		producer.Input() <- &kafka.ProducerMessage{Topic: "t", Value: kafka.ByteEncoder(v)}
	}
	return nil
}

// From a client whose config is built here.
func fromClient(brokers []string) error {
	conf := kafka.NewConfig()
	client, err := kafka.NewClient(brokers, conf)
	if err != nil {
		return err
	}
	producer, err := kafka.NewAsyncProducerFromClient(client) // want "Errors\\(\\) of this AsyncProducer is never read"
	if err != nil {
		return err
	}
	producer.Input() <- &kafka.ProducerMessage{Topic: "t"}
	return producer.Close()
}

func logErr(err error) { log.Println(err) }
