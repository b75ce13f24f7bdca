package main

import (
	"fmt"

	"github.com/confluentinc/confluent-kafka-go/kafka"
)

// Quiet for Close: the function reads the delivery reports itself before closing
// (the official producer_channel example; ProduceChannel itself is deprecated).
func main() {
	topic := "t"
	p, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": "localhost"})
	if err != nil {
		return
	}
	doneChan := make(chan bool)
	go func() {
		defer close(doneChan)
		for e := range p.Events() {
			if m, ok := e.(*kafka.Message); ok {
				fmt.Println(m.TopicPartition)
				return
			}
		}
	}()
	p.ProduceChannel() <- &kafka.Message{TopicPartition: kafka.TopicPartition{Topic: &topic, Partition: kafka.PartitionAny}, Value: []byte("Hello Go!")} // want "ProduceChannel is deprecated"
	_ = <-doneChan
	p.Close()
}
