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

// A partition consumer's Errors() is read, not the producer's.
func mirror(brokers []string) error {
	config := kafka.NewConfig()
	producer, err := kafka.NewAsyncProducer(brokers, config) // want "Errors\\(\\) of this AsyncProducer is never read"
	if err != nil {
		return err
	}
	consumer, err := kafka.NewConsumer(brokers, config)
	if err != nil {
		return err
	}
	pc, err := consumer.ConsumePartition("in", 0, kafka.OffsetOldest)
	if err != nil {
		return err
	}
	go func() {
		for err := range pc.Errors() {
			logErr(err)
		}
	}()
	for m := range pc.Messages() {
		producer.Input() <- &kafka.ProducerMessage{Topic: "out", Value: kafka.ByteEncoder(m.Value)}
	}
	return nil
}

// Created in a goroutine with a config of the enclosing function, then handed
// to a local helper that only writes to Input().
func startWorker(brokers []string, values <-chan []byte) {
	cfg := kafka.NewConfig()
	cfg.Producer.Return.Errors = true // explicit, same as the default
	go func() {
		producer, err := kafka.NewAsyncProducer(brokers, cfg) // want "Errors\\(\\) of this AsyncProducer is never read"
		if err != nil {
			logErr(err)
			return
		}
		publishAll(producer, values)
	}()
}

func publishAll(p kafka.AsyncProducer, values <-chan []byte) {
	for v := range values {
		p.Input() <- &kafka.ProducerMessage{Topic: "t", Value: kafka.ByteEncoder(v)}
	}
}
