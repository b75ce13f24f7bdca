package ingest

import (
	"log"

	"github.com/confluentinc/confluent-kafka-go/kafka"
)

func send(conf *kafka.ConfigMap, msgs []*kafka.Message) error {
	p, err := kafka.NewProducer(conf)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := p.Produce(m, nil); err != nil {
			return err
		}
	}
	p.Flush(15 * 1000) // want "Flush's count of undelivered messages is ignored before Close: whatever is still queued when the timeout expires is lost silently"
	p.Close()
	return nil
}

type Relay struct {
	producer *kafka.Producer
}

func (r *Relay) Stop() {
	r.producer.Flush(5000) // want "Flush's count of undelivered messages is ignored before Close"
	r.producer.Close()
}

// Quiet: the outstanding count is checked.
func sendChecked(p *kafka.Producer) {
	if left := p.Flush(15 * 1000); left > 0 {
		log.Printf("%d messages were not delivered", left)
	}
	p.Close()
}

// Quiet: flushed, not closed here.
func flushOnly(p *kafka.Producer) {
	p.Flush(1000)
}

// Quiet: flushed until empty.
func flushAll(p *kafka.Producer) {
	for p.Flush(1000) > 0 {
	}
	p.Close()
}
