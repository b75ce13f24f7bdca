package sink

import (
	"github.com/segmentio/kafka-go"
)

type Sink struct {
	w *kafka.Writer
}

// RequiredAcks omitted: fire and forget.
func NewSink(addr string) *Sink {
	return &Sink{w: &kafka.Writer{ // want "kafka.Writer without RequiredAcks does not wait for any broker"
		Addr:  kafka.TCP(addr),
		Topic: "payments",
	}}
}

func leaderOnly(addr string) *kafka.Writer {
	return &kafka.Writer{Addr: kafka.TCP(addr), RequiredAcks: kafka.RequireOne} // want "the kafka-go writer waits for the leader only \\(kafka.RequireOne\\)"
}

func legacy(brokers []string) *kafka.Writer {
	return kafka.NewWriter(kafka.WriterConfig{ // want "kafka.WriterConfig without RequiredAcks"
		Brokers: brokers,
		Topic:   "payments",
	})
}

func legacyOne(brokers []string) *kafka.Writer {
	return kafka.NewWriter(kafka.WriterConfig{Brokers: brokers, Topic: "t", RequiredAcks: 1}) // want "waits for the leader only \\(1\\)"
}

func assigned(w *kafka.Writer) {
	w.RequiredAcks = kafka.RequireNone // want "the kafka-go writer does not wait for any broker \\(kafka.RequireNone\\): failed writes are lost silently"
}

// Quiet: all replicas.
func durable(addr string) *kafka.Writer {
	return &kafka.Writer{Addr: kafka.TCP(addr), Topic: "payments", RequiredAcks: kafka.RequireAll}
}

// Quiet: set right after the literal.
func setLater(addr string) *kafka.Writer {
	w := &kafka.Writer{Addr: kafka.TCP(addr)}
	w.RequiredAcks = kafka.RequireAll
	return w
}

// Quiet: a legacy config waiting for all replicas.
func legacyAll(brokers []string) *kafka.Writer {
	return kafka.NewWriter(kafka.WriterConfig{Brokers: brokers, Topic: "t", RequiredAcks: -1})
}

// Quiet: a reader is not a writer.
func reader(brokers []string) *kafka.Reader {
	return kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: "t"})
}
