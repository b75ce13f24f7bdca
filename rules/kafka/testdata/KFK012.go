package ingest

import (
	"log"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

// Reports go to Events(), which nothing in the package reads.
func publish(brokers string, msgs []*kafka.Message) error {
	p, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers, "acks": "all"})
	if err != nil {
		return err
	}
	defer p.Close()
	for _, m := range msgs {
		if err := p.Produce(m, nil); err != nil { // want "delivery reports of Produce\\(msg, nil\\) go to Events\\(\\), which nobody reads: they pile up until the process runs out of memory, and failed deliveries go unseen"
			return err
		}
	}
	if left := p.Flush(15 * 1000); left > 0 {
		log.Printf("%d messages not delivered", left)
	}
	return nil
}

// A config built in a variable, reports still on.
func publishOne(brokers string, m *kafka.Message) error {
	conf := kafka.ConfigMap{"bootstrap.servers": brokers}
	conf.SetKey("linger.ms", 5)
	p, err := kafka.NewProducer(&conf)
	if err != nil {
		return err
	}
	err = p.Produce(m, nil) // want "delivery reports of Produce\\(msg, nil\\) go to Events\\(\\)"
	p.Flush(1000)
	p.Close()
	return err
}

type Relay struct {
	producer *kafka.Producer
}

// Closed without a Flush.
func (r *Relay) Stop() {
	r.producer.Close() // want "Close without Flush drops the messages still queued in the producer"
}

func legacy(p *kafka.Producer, m *kafka.Message) {
	p.ProduceChannel() <- m // want "ProduceChannel is deprecated and blocks when the queue is full: use Produce"
}

// Quiet: reports switched off.
func fireAndForget(brokers string, msgs []*kafka.Message) error {
	p, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers, "go.delivery.reports": false})
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

// Quiet: a delivery channel per message (the official producer example).
func withDeliveryChan(brokers string, m *kafka.Message) error {
	p, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers})
	if err != nil {
		return err
	}
	defer p.Close()
	deliveryChan := make(chan kafka.Event)
	if err := p.Produce(m, deliveryChan); err != nil {
		return err
	}
	e := <-deliveryChan
	if msg := e.(*kafka.Message); msg.TopicPartition.Error != nil {
		return msg.TopicPartition.Error
	}
	return nil
}

// Quiet: a producer from the caller; its config is unknown.
func produceTo(p *kafka.Producer, m *kafka.Message) error {
	return p.Produce(m, nil)
}

// Quiet: the README's shape, a deferred Close and a Flush before returning.
func readme(brokers string, topic string, words []string) error {
	p, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers})
	if err != nil {
		return err
	}
	defer p.Close()
	go func() {
		for e := range p.Events() {
			switch ev := e.(type) {
			case *kafka.Message:
				if ev.TopicPartition.Error != nil {
					log.Printf("Delivery failed: %v\n", ev.TopicPartition)
				}
			}
		}
	}()
	for _, word := range words {
		p.Produce(&kafka.Message{
			TopicPartition: kafka.TopicPartition{Topic: &topic, Partition: kafka.PartitionAny},
			Value:          []byte(word),
		}, nil)
	}
	p.Flush(15 * 1000)
	return nil
}
