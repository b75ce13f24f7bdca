package orders

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/IBM/sarama"
	kafkago "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"
)

type OrderEvent struct {
	OrderID int64
	Kind    string
}

type Metric struct {
	Name  string
	Value float64
}

type Publisher struct {
	producer sarama.SyncProducer
	writer   *kafkago.Writer
	client   *kgo.Client
}

func (p *Publisher) Publish(ev OrderEvent) error {
	value, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, _, err = p.producer.SendMessage(&sarama.ProducerMessage{ // want "this message has a value but no key while the value's OrderEvent has an OrderID field: messages of one OrderEvent spread over partitions and lose their order"
		Topic: "orders",
		Value: sarama.ByteEncoder(value),
	})
	return err
}

func (p *Publisher) Write(ctx context.Context, ev *OrderEvent) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return p.writer.WriteMessages(ctx, kafkago.Message{Value: b}) // want "has a value but no key while the value's OrderEvent has an OrderID field"
}

func (p *Publisher) Produce(ctx context.Context, ev OrderEvent) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return p.client.ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: b}).FirstErr() // want "has a value but no key"
}

// Quiet: keyed by the order id.
func (p *Publisher) Keyed(ev OrderEvent) error {
	value, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, _, err = p.producer.SendMessage(&sarama.ProducerMessage{
		Topic: "orders",
		Key:   sarama.StringEncoder(strconv.FormatInt(ev.OrderID, 10)),
		Value: sarama.ByteEncoder(value),
	})
	return err
}

// Quiet: the key is set after the literal.
func (p *Publisher) KeyedLater(ev OrderEvent) error {
	value, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	msg := &sarama.ProducerMessage{Topic: "orders", Value: sarama.ByteEncoder(value)}
	msg.Key = sarama.StringEncoder(strconv.FormatInt(ev.OrderID, 10))
	_, _, err = p.producer.SendMessage(msg)
	return err
}

// Quiet: metrics have no identity; any partition will do.
func (p *Publisher) Metric(m Metric) error {
	value, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, _, err = p.producer.SendMessage(&sarama.ProducerMessage{Topic: "metrics", Value: sarama.ByteEncoder(value)})
	return err
}

// Quiet: a raw payload gobex cannot trace to an entity.
func (p *Publisher) Raw(ctx context.Context, payload []byte) error {
	return p.writer.WriteMessages(ctx, kafkago.Message{Value: payload})
}
