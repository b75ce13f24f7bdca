package ingest

import (
	"time"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

type Ingestor struct {
	consumer *kafka.Consumer
}

// Assigned to a field that no code of the package closes.
func (i *Ingestor) Start(conf *kafka.ConfigMap) error {
	var err error
	i.consumer, err = kafka.NewConsumer(conf) // want "Consumer from NewConsumer is stored in Ingestor.consumer, which is never closed"
	if err != nil {
		return err
	}
	return i.consumer.SubscribeTopics([]string{"events"}, nil)
}

// A producer per batch, never closed.
func sendBatch(conf *kafka.ConfigMap, msgs []*kafka.Message) error {
	p, err := kafka.NewProducer(conf) // want "Producer from NewProducer is never closed"
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := p.Produce(m, nil); err != nil {
			return err
		}
	}
	p.Flush(15 * 1000)
	return nil
}

// Quiet: flushed and closed.
func sendClosed(conf *kafka.ConfigMap, msgs []*kafka.Message) error {
	p, err := kafka.NewProducer(conf)
	if err != nil {
		return err
	}
	defer p.Close()
	for _, m := range msgs {
		if err := p.Produce(m, nil); err != nil {
			return err
		}
	}
	p.Flush(15 * 1000)
	return nil
}

// Quiet: closed by the goroutine it is handed to.
func poll(conf *kafka.ConfigMap, out chan<- *kafka.Message) error {
	c, err := kafka.NewConsumer(conf)
	if err != nil {
		return err
	}
	go func() {
		defer c.Close()
		for {
			m, err := c.ReadMessage(time.Second)
			if err == nil {
				out <- m
			}
		}
	}()
	return nil
}

// Quiet: the field is closed by Stop.
type Relay struct {
	producer *kafka.Producer
}

func NewRelay(conf *kafka.ConfigMap) (*Relay, error) {
	p, err := kafka.NewProducer(conf)
	if err != nil {
		return nil, err
	}
	return &Relay{producer: p}, nil
}

func (r *Relay) Stop() {
	r.producer.Flush(5000)
	r.producer.Close()
}
