// Package events publishes order events to Kafka.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/IBM/sarama"

	"github.com/gobex-dev/orders-example/internal/orders"
)

// Publisher sends order events to a topic, keyed by order id so that each
// order's events stay in order on one partition.
type Publisher struct {
	producer sarama.AsyncProducer
	topic    string
	log      *slog.Logger
	drained  chan struct{}
}

// NewPublisher connects an idempotent producer to the brokers.
func NewPublisher(brokers []string, topic string, log *slog.Logger) (*Publisher, error) {
	cfg := sarama.NewConfig()
	cfg.ClientID = "orders-service"
	cfg.Version = sarama.V2_8_0_0
	cfg.Producer.Idempotent = true
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	cfg.Producer.Retry.Max = 5
	cfg.Net.MaxOpenRequests = 1

	producer, err := sarama.NewAsyncProducer(brokers, cfg)
	if err != nil {
		return nil, fmt.Errorf("events: new producer: %w", err)
	}
	p := &Publisher{producer: producer, topic: topic, log: log, drained: make(chan struct{})}
	go p.logErrors()
	return p, nil
}

// logErrors drains the producer's error channel until the producer closes it;
// an undrained channel fills up and blocks every later send.
func (p *Publisher) logErrors() {
	defer close(p.drained)
	for perr := range p.producer.Errors() {
		p.log.Error("order event not delivered", "topic", perr.Msg.Topic, "err", perr.Err)
	}
}

// Publish queues an event; delivery failures are logged by logErrors.
func (p *Publisher) Publish(ctx context.Context, ev orders.Event) error {
	value, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("events: encode %s: %w", ev.Kind, err)
	}
	msg := &sarama.ProducerMessage{
		Topic: p.topic,
		Key:   sarama.StringEncoder(strconv.FormatInt(ev.OrderID, 10)),
		Value: sarama.ByteEncoder(value),
	}
	select {
	case p.producer.Input() <- msg:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close flushes queued events and waits until every error has been logged.
func (p *Publisher) Close() {
	p.producer.AsyncClose()
	<-p.drained
}
