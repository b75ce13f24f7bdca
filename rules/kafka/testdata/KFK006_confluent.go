package ingest

import (
	"log"
	"time"

	"github.com/confluentinc/confluent-kafka-go/kafka"
)

func store(m *kafka.Message) error { return nil }

func consume(brokers string) error {
	c, err := kafka.NewConsumer(&kafka.ConfigMap{"bootstrap.servers": brokers, "group.id": "ingest"})
	if err != nil {
		return err
	}
	defer c.Close()
	for {
		msg, err := c.ReadMessage(time.Second) // want "msg's offset is stored for commit as ReadMessage returns it"
		if err != nil {
			continue
		}
		if err := store(msg); err != nil {
			log.Printf("store: %v", err)
			continue
		}
	}
}

// Quiet: offsets are stored after processing.
func atLeastOnce(brokers string) error {
	c, err := kafka.NewConsumer(&kafka.ConfigMap{
		"bootstrap.servers":        brokers,
		"group.id":                 "ingest",
		"enable.auto.offset.store": false,
	})
	if err != nil {
		return err
	}
	defer c.Close()
	for {
		msg, err := c.ReadMessage(time.Second)
		if err != nil {
			continue
		}
		if err := store(msg); err != nil {
			continue
		}
		if _, err := c.StoreMessage(msg); err != nil {
			return err
		}
	}
}

// Quiet: a consumer from the caller, its config unknown.
func fromCaller(c *kafka.Consumer) error {
	for {
		msg, err := c.ReadMessage(time.Second)
		if err != nil {
			return err
		}
		if err := store(msg); err != nil {
			return err
		}
	}
}

// Quiet: processing failures stop the consumer without moving on... by panicking.
func strict(brokers string) {
	c, err := kafka.NewConsumer(&kafka.ConfigMap{"bootstrap.servers": brokers, "group.id": "strict"})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	for {
		msg, err := c.ReadMessage(-1)
		if err != nil {
			continue
		}
		for store(msg) != nil {
			time.Sleep(time.Second)
		}
	}
}
