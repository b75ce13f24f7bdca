package sink

import (
	"context"

	"github.com/segmentio/kafka-go"
)

// A writer per call, never closed: its batches are never flushed.
func write(ctx context.Context, msgs []kafka.Message) error {
	w := &kafka.Writer{Addr: kafka.TCP("localhost:9092"), Topic: "events", RequiredAcks: kafka.RequireAll} // want "Writer is never closed"
	return w.WriteMessages(ctx, msgs...)
}

// A reader in a struct field nobody closes.
type Tailer struct {
	reader *kafka.Reader
}

func NewTailer(brokers []string) *Tailer {
	return &Tailer{
		reader: kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: "events"}), // want "Reader from NewReader is stored in Tailer.reader, which is never closed"
	}
}

func (t *Tailer) Next(ctx context.Context) (kafka.Message, error) {
	return t.reader.FetchMessage(ctx)
}

// Quiet: the writer is closed with defer.
func writeClosed(ctx context.Context, msgs []kafka.Message) error {
	w := &kafka.Writer{Addr: kafka.TCP("localhost:9092"), Topic: "events", RequiredAcks: kafka.RequireAll}
	defer w.Close()
	return w.WriteMessages(ctx, msgs...)
}

// Quiet: a writer field closed by the owner's Close.
type Sink struct {
	writer *kafka.Writer
}

func NewSink(addr string) *Sink {
	return &Sink{writer: &kafka.Writer{Addr: kafka.TCP(addr), Topic: "events", RequiredAcks: kafka.RequireAll}}
}

func (s *Sink) Close() error {
	return s.writer.Close()
}

// Quiet: the reader is returned.
func newReader(brokers []string) *kafka.Reader {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, GroupID: "g", Topic: "events"})
	return r
}
