package events

import (
	"github.com/Shopify/sarama"
)

type Publisher struct {
	producer sarama.AsyncProducer
}

// Errors() is read in drain.go; Successes() is read nowhere.
func newPublisher(brokers []string) (*Publisher, error) {
	producer, err := sarama.NewAsyncProducer(brokers, newConfig(sarama.V2_0_0_0)) // want "Successes\\(\\) of this AsyncProducer is never read"
	if err != nil {
		return nil, err
	}
	return &Publisher{producer: producer}, nil
}

// Tracker embeds the producer; its method in drain.go reads Errors().
type Tracker struct {
	sarama.AsyncProducer
}

func newTracker(brokers []string) (*Tracker, error) {
	p, err := sarama.NewAsyncProducer(brokers, nil)
	if err != nil {
		return nil, err
	}
	return &Tracker{AsyncProducer: p}, nil
}

// The config of another file switches Return.Errors off.
type Audit struct {
	out sarama.AsyncProducer
}

func newAudit(brokers []string) (*Audit, error) {
	out, err := sarama.NewAsyncProducer(brokers, quietConfig())
	if err != nil {
		return nil, err
	}
	return &Audit{out: out}, nil
}
