package sink

import (
	"bufio"
	"compress/gzip"
	"io"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/snappy"
)

func newWriter(brokers []string) *kafka.Writer {
	return kafka.NewWriter(kafka.WriterConfig{ // want "NewWriter\\(WriterConfig\\{...\\}\\) is deprecated: configure a &kafka.Writer\\{...\\} literal"
		Brokers:      brokers,
		Topic:        "events",
		RequiredAcks: -1,
		BatchTimeout: 10 * time.Millisecond,
	})
}

func inline() *kafka.Writer {
	return kafka.NewWriter(kafka.WriterConfig{Brokers: []string{"localhost:9092", "localhost:9093"}, Topic: "events", RequiredAcks: 1}) // want "NewWriter\\(WriterConfig\\{...\\}\\) is deprecated"
}

type Sink struct {
	w *kafka.Writer
}

func NewSink(brokers []string, batch int) *Sink {
	s := &Sink{}
	s.w = kafka.NewWriter(kafka.WriterConfig{ // want "is deprecated"
		Brokers:    brokers,
		Topic:      "events",
		BatchBytes: batch,
		Async:      false,
	})
	return s
}

// Reported without a fix: the codec has no direct counterpart.
func compressed(brokers []string) *kafka.Writer {
	return kafka.NewWriter(kafka.WriterConfig{ // want "is deprecated"
		Brokers:          brokers,
		Topic:            "events",
		CompressionCodec: snappy.NewCompressionCodec(),
		RequiredAcks:     -1,
	})
}

// Quiet: the literal.
func literal(brokers []string) *kafka.Writer {
	return &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: "events", RequiredAcks: kafka.RequireAll}
}

type factory struct{}

func (factory) NewWriter(topic string) *kafka.Writer {
	return &kafka.Writer{Addr: kafka.TCP("localhost:9092"), Topic: topic, RequiredAcks: kafka.RequireAll}
}

// Quiet: someone else's NewWriter.
func viaFactory(f factory) *kafka.Writer {
	return f.NewWriter("events")
}

// Quiet: the standard library's NewWriter.
func buffered(w io.Writer) *bufio.Writer {
	return bufio.NewWriter(w)
}

// Quiet: another NewWriter.
func compressedStream(w io.Writer) *gzip.Writer {
	return gzip.NewWriter(w)
}

// Quiet: the reader constructor is not deprecated.
func reader(brokers []string) *kafka.Reader {
	return kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: "events"})
}
