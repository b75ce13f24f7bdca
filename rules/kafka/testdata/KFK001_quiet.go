package events

import (
	"github.com/Shopify/sarama"
)

// Quiet: Return.Errors switched off.
func noErrors(brokers []string) error {
	config := sarama.NewConfig()
	config.Producer.Return.Errors = false
	producer, err := sarama.NewAsyncProducer(brokers, config)
	if err != nil {
		return err
	}
	producer.Input() <- &sarama.ProducerMessage{Topic: "t"}
	return producer.Close()
}

// Quiet: the producer is returned; the caller reads its channels.
func open(brokers []string) (sarama.AsyncProducer, error) {
	return sarama.NewAsyncProducer(brokers, nil)
}

// Quiet: the config comes from a parameter gobex cannot see.
func withConfig(brokers []string, cfg *sarama.Config) error {
	producer, err := sarama.NewAsyncProducer(brokers, cfg)
	if err != nil {
		return err
	}
	return producer.Close()
}

// Quiet: a SyncProducer has no channels to drain.
func syncProducer(brokers []string) error {
	config := sarama.NewConfig()
	config.Producer.Return.Successes = true
	producer, err := sarama.NewSyncProducer(brokers, config)
	if err != nil {
		return err
	}
	return producer.Close()
}

// Quiet: Return.Errors comes from a setting gobex cannot evaluate.
func withSetting(brokers []string, returnErrors bool) error {
	cfg := sarama.NewConfig()
	cfg.Producer.Return.Errors = returnErrors
	producer, err := sarama.NewAsyncProducer(brokers, cfg)
	if err != nil {
		return err
	}
	producer.Input() <- &sarama.ProducerMessage{Topic: "t"}
	return producer.Close()
}

// Quiet: stored in an exported field, which other packages may drain.
type Client struct {
	Producer sarama.AsyncProducer
}

func NewClient(brokers []string) (*Client, error) {
	p, err := sarama.NewAsyncProducer(brokers, nil)
	if err != nil {
		return nil, err
	}
	return &Client{Producer: p}, nil
}

func (c *Client) Reconnect(brokers []string) error {
	p, err := sarama.NewAsyncProducer(brokers, nil)
	if err != nil {
		return err
	}
	c.Producer = p
	return nil
}

// Quiet: handed to a function of another package (a tracing wrapper) that
// returns the producer gobex sees no further.
func traced(brokers []string, wrap func(sarama.AsyncProducer) sarama.AsyncProducer) sarama.AsyncProducer {
	p, err := sarama.NewAsyncProducer(brokers, nil)
	if err != nil {
		return nil
	}
	return wrap(p)
}
