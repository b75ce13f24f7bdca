package main

import (
	"log"

	"github.com/Shopify/sarama"
)

// Quiet: created in main, lives as long as the process.
func main() {
	producer, err := sarama.NewSyncProducer([]string{"localhost:9092"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, _, err := producer.SendMessage(&sarama.ProducerMessage{Topic: "t", Key: sarama.StringEncoder("k")}); err != nil {
		log.Fatal(err)
	}
}

func helper(brokers []string) error {
	client, err := sarama.NewClient(brokers, nil) // want "Client from NewClient is never closed"
	if err != nil {
		return err
	}
	_, err = client.Topics()
	return err
}
