package events

import (
	"log"

	"github.com/IBM/sarama"
)

// Quiet: the producer is embedded; the wrapper's method reads Errors().
type Producer struct {
	sarama.AsyncProducer
}

func NewProducer(brokers []string) (*Producer, error) {
	p, err := sarama.NewAsyncProducer(brokers, nil)
	if err != nil {
		return nil, err
	}
	producer := &Producer{AsyncProducer: p}
	go producer.logErrors()
	return producer, nil
}

func (p *Producer) logErrors() {
	for err := range p.Errors() {
		log.Println(err)
	}
}
