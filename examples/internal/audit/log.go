// Package audit records who did what to an order, on a Kafka topic read by
// the compliance team.
package audit

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/IBM/sarama"
)

// Record is one audit entry.
type Record struct {
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	OrderID int64     `json:"order_id"`
	At      time.Time `json:"at"`
}

// Log sends audit records without waiting for the brokers.
type Log struct {
	producer sarama.AsyncProducer
	topic    string
}

// NewLog connects a producer tuned for throughput: audit records are small
// and many, so they are batched and compressed.
func NewLog(brokers []string, topic string) (*Log, error) {
	cfg := sarama.NewConfig()
	cfg.ClientID = "orders-audit"
	cfg.Producer.RequiredAcks = sarama.WaitForLocal
	cfg.Producer.Compression = sarama.CompressionSnappy
	cfg.Producer.Flush.Frequency = 500 * time.Millisecond

	producer, err := sarama.NewAsyncProducer(brokers, cfg)
	if err != nil {
		return nil, fmt.Errorf("audit: new producer: %w", err)
	}
	return &Log{producer: producer, topic: topic}, nil
}

// Record queues an audit record.
func (l *Log) Record(r Record) error {
	value, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("audit: encode %s: %w", r.Action, err)
	}
	l.producer.Input() <- &sarama.ProducerMessage{
		Topic: l.topic,
		Key:   sarama.StringEncoder(strconv.FormatInt(r.OrderID, 10)),
		Value: sarama.ByteEncoder(value),
	}
	return nil
}

// Close flushes queued records and closes the producer.
func (l *Log) Close() error {
	return l.producer.Close()
}
