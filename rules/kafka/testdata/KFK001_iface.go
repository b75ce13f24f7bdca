package events

import (
	"log"

	"github.com/IBM/sarama"
)

// Quiet: held behind an interface of the package that declares Errors().
type asyncProducer interface {
	Input() chan<- *sarama.ProducerMessage
	Errors() <-chan *sarama.ProducerError
}

type queue struct {
	out asyncProducer
}

func newQueue(brokers []string) (*queue, error) {
	out, err := sarama.NewAsyncProducer(brokers, nil)
	if err != nil {
		return nil, err
	}
	return &queue{out: out}, nil
}

func (q *queue) run() {
	for err := range q.out.Errors() {
		log.Println(err)
	}
}
