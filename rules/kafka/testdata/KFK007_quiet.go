package quiet

import (
	"context"
	"log"

	"github.com/Shopify/sarama"
)

// Quiet: the errors are read.
func runGroup(ctx context.Context, brokers []string, handler sarama.ConsumerGroupHandler) error {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	group, err := sarama.NewConsumerGroup(brokers, "billing", cfg)
	if err != nil {
		return err
	}
	defer group.Close()
	go func() {
		for err := range group.Errors() {
			log.Println("consumer error:", err)
		}
	}()
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{"invoices"}, handler); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: errors are not returned (the default): sarama logs them.
func defaults(brokers []string) (sarama.PartitionConsumer, error) {
	consumer, err := sarama.NewConsumer(brokers, nil)
	if err != nil {
		return nil, err
	}
	pc, err := consumer.ConsumePartition("invoices", 0, sarama.OffsetNewest)
	if err != nil {
		return nil, err
	}
	go func() {
		for msg := range pc.Messages() {
			log.Println(string(msg.Value))
		}
	}()
	return pc, nil
}

// Quiet: the partition consumer's errors are read in a select.
func drain(brokers []string) error {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	consumer, err := sarama.NewConsumer(brokers, cfg)
	if err != nil {
		return err
	}
	defer consumer.Close()
	pc, err := consumer.ConsumePartition("invoices", 0, sarama.OffsetNewest)
	if err != nil {
		return err
	}
	defer pc.Close()
	for {
		select {
		case msg := <-pc.Messages():
			log.Println(string(msg.Value))
		case err := <-pc.Errors():
			return err
		}
	}
}

// Quiet: the group goes back to the caller, who may read Errors().
func newGroup(brokers []string) (sarama.ConsumerGroup, error) {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	return sarama.NewConsumerGroup(brokers, "billing", cfg)
}

// Quiet: a config from the caller.
func fromCaller(brokers []string, cfg *sarama.Config) (sarama.ConsumerGroup, error) {
	group, err := sarama.NewConsumerGroup(brokers, "billing", cfg)
	if err != nil {
		return nil, err
	}
	return group, nil
}
