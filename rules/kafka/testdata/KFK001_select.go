package events

import (
	"log"
	"os"
	"os/signal"

	"github.com/Shopify/sarama"
)

// Quiet: the sarama README's select loop reads Errors().
func selectLoop(brokers []string) {
	producer, err := sarama.NewAsyncProducer(brokers, nil)
	if err != nil {
		panic(err)
	}
	defer func() {
		if err := producer.Close(); err != nil {
			log.Fatalln(err)
		}
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt)
ProducerLoop:
	for {
		select {
		case producer.Input() <- &sarama.ProducerMessage{Topic: "my_topic", Value: sarama.StringEncoder("testing 123")}:
		case err := <-producer.Errors():
			log.Println("Failed to produce message", err)
		case <-signals:
			break ProducerLoop
		}
	}
}
