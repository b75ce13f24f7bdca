package events

import (
	"context"
	"errors"

	kafka "github.com/IBM/sarama"
)

type Event struct {
	ID    string
	Value []byte
}

func (e Event) message() *kafka.ProducerMessage {
	return &kafka.ProducerMessage{Topic: "events", Key: kafka.StringEncoder(e.ID), Value: kafka.ByteEncoder(e.Value)}
}

// A producer per job, never closed.
func runJob(brokers []string, cfg *kafka.Config, events []Event) error {
	producer, err := kafka.NewSyncProducer(brokers, cfg) // want "SyncProducer from NewSyncProducer is never closed"
	if err != nil {
		return err
	}
	for _, ev := range events {
		if _, _, err := producer.SendMessage(ev.message()); err != nil {
			return err
		}
	}
	return nil
}

// The producer is closed, the client under it is not (sarama does not close it).
func fromClient(brokers []string, cfg *kafka.Config, ev Event) error {
	client, err := kafka.NewClient(brokers, cfg) // want "Client from NewClient is never closed"
	if err != nil {
		return err
	}
	producer, err := kafka.NewSyncProducerFromClient(client)
	if err != nil {
		return err
	}
	defer producer.Close()
	_, _, err = producer.SendMessage(ev.message())
	return err
}

// Closed on the happy path only.
func consumeOne(ctx context.Context, brokers []string, cfg *kafka.Config) error {
	consumer, err := kafka.NewConsumer(brokers, cfg) // want "Consumer from NewConsumer is not closed on every path"
	if err != nil {
		return err
	}
	topics, err := consumer.Topics()
	if err != nil {
		return err
	}
	if len(topics) == 0 {
		return errors.New("no topics")
	}
	return consumer.Close()
}

// Stored in an unexported field that nothing in the package closes.
type Publisher struct {
	producer kafka.SyncProducer
	topic    string
}

func NewPublisher(brokers []string, cfg *kafka.Config) (*Publisher, error) {
	p, err := kafka.NewSyncProducer(brokers, cfg) // want "SyncProducer from NewSyncProducer is stored in Publisher.producer, which is never closed"
	if err != nil {
		return nil, err
	}
	return &Publisher{producer: p, topic: "events"}, nil
}

func (p *Publisher) Publish(ev Event) error {
	_, _, err := p.producer.SendMessage(ev.message())
	return err
}

// Created and thrown away.
func ping(brokers []string, cfg *kafka.Config) {
	kafka.NewClient(brokers, cfg) // want "Client from NewClient is discarded and never closed"
}

// Quiet: closed with defer after the error check.
func closed(brokers []string, cfg *kafka.Config, ev Event) error {
	producer, err := kafka.NewSyncProducer(brokers, cfg)
	if err != nil {
		return err
	}
	defer producer.Close()
	_, _, err = producer.SendMessage(ev.message())
	return err
}

// Quiet: returned to the caller, who owns it.
func newGroup(brokers []string, cfg *kafka.Config) (kafka.ConsumerGroup, error) {
	group, err := kafka.NewConsumerGroup(brokers, "billing", cfg)
	if err != nil {
		return nil, err
	}
	return group, nil
}

// Quiet: a field closed by a method of the type.
type Mirror struct {
	consumer kafka.Consumer
	client   kafka.Client
}

func NewMirror(brokers []string, cfg *kafka.Config) (*Mirror, error) {
	client, err := kafka.NewClient(brokers, cfg)
	if err != nil {
		return nil, err
	}
	m := &Mirror{client: client}
	m.consumer, err = kafka.NewConsumerFromClient(client)
	if err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Mirror) Close() error {
	if m.consumer != nil {
		m.consumer.Close()
	}
	return m.client.Close()
}

// Quiet: partition consumers are closed by the goroutine they are handed to.
func consumeAll(consumer kafka.Consumer, partitions []int32, out chan<- *kafka.ConsumerMessage) error {
	for _, partition := range partitions {
		pc, err := consumer.ConsumePartition("events", partition, kafka.OffsetNewest)
		if err != nil {
			return err
		}
		go func(pc kafka.PartitionConsumer) {
			defer pc.AsyncClose()
			for msg := range pc.Messages() {
				out <- msg
			}
		}(pc)
	}
	return nil
}

// Quiet: an exported field; code of other packages may close it.
type Clients struct {
	Producer kafka.SyncProducer
}

func NewClients(brokers []string, cfg *kafka.Config) (*Clients, error) {
	p, err := kafka.NewSyncProducer(brokers, cfg)
	if err != nil {
		return nil, err
	}
	return &Clients{Producer: p}, nil
}

// Quiet: the field is handed to a closing helper.
type Worker struct {
	group kafka.ConsumerGroup
}

func NewWorker(brokers []string, cfg *kafka.Config) (*Worker, error) {
	group, err := kafka.NewConsumerGroup(brokers, "workers", cfg)
	if err != nil {
		return nil, err
	}
	return &Worker{group: group}, nil
}

func (w *Worker) Stop() {
	closeQuietly(w.group)
}

func closeQuietly(c interface{ Close() error }) {
	_ = c.Close()
}

// Quiet: the cluster admin closes the client it was made from.
func topics(brokers []string, cfg *kafka.Config) ([]string, error) {
	client, err := kafka.NewClient(brokers, cfg)
	if err != nil {
		return nil, err
	}
	admin, err := kafka.NewClusterAdminFromClient(client)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	return client.Topics()
}
