package billing

import (
	"context"
	"log"

	kafka "github.com/IBM/sarama"
)

func groupConfig() *kafka.Config {
	cfg := kafka.NewConfig()
	cfg.Consumer.Return.Errors = true
	cfg.Consumer.Offsets.Initial = kafka.OffsetOldest
	return cfg
}

// Errors are returned but the group's Errors() is never read.
func runGroup(ctx context.Context, brokers []string, handler kafka.ConsumerGroupHandler) error {
	group, err := kafka.NewConsumerGroup(brokers, "billing", groupConfig()) // want "Errors\\(\\) of this ConsumerGroup is never read \\(Consumer.Return.Errors is true\\): its errors are dropped once the channel is full"
	if err != nil {
		return err
	}
	defer group.Close()
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{"invoices"}, handler); err != nil {
			return err
		}
	}
	return nil
}

// Partition consumers of a consumer whose config returns errors.
func tail(brokers []string, out chan<- *kafka.ConsumerMessage) error {
	cfg := kafka.NewConfig()
	cfg.Consumer.Return.Errors = true
	consumer, err := kafka.NewConsumer(brokers, cfg)
	if err != nil {
		return err
	}
	pc, err := consumer.ConsumePartition("invoices", 0, kafka.OffsetNewest) // want "Errors\\(\\) of this PartitionConsumer is never read \\(Consumer.Return.Errors is true\\): the partition consumer blocks once the channel is full"
	if err != nil {
		return err
	}
	defer pc.Close()
	for msg := range pc.Messages() {
		out <- msg
	}
	return nil
}

type Mirror struct {
	consumer kafka.Consumer
}

func NewMirror(brokers []string) (*Mirror, error) {
	cfg := kafka.NewConfig()
	cfg.Consumer.Return.Errors = true
	c, err := kafka.NewConsumer(brokers, cfg)
	if err != nil {
		return nil, err
	}
	return &Mirror{consumer: c}, nil
}

// The consumer lives in a field; its config is where the package creates it.
func (m *Mirror) Partition(p int32, out chan<- *kafka.ConsumerMessage) error {
	pc, err := m.consumer.ConsumePartition("orders", p, kafka.OffsetNewest) // want "Errors\\(\\) of this PartitionConsumer is never read"
	if err != nil {
		return err
	}
	go func() {
		defer pc.AsyncClose()
		for msg := range pc.Messages() {
			out <- msg
		}
	}()
	return nil
}

func (m *Mirror) Close() error { return m.consumer.Close() }
