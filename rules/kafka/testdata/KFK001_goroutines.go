package events

import (
	"log"

	"github.com/Shopify/sarama"
)

// Quiet: the goroutines example drains both channels.
func goroutines(brokers []string) error {
	config := sarama.NewConfig()
	config.Producer.Return.Successes = true
	producer, err := sarama.NewAsyncProducer(brokers, config)
	if err != nil {
		return err
	}
	go func() {
		for range producer.Successes() {
		}
	}()
	go func() {
		for err := range producer.Errors() {
			log.Println(err)
		}
	}()
	producer.Input() <- &sarama.ProducerMessage{Topic: "t"}
	producer.AsyncClose()
	return nil
}
