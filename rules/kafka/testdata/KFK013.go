package clicks

import (
	"context"
	"log"

	kafka "github.com/segmentio/kafka-go"
)

type Tracker struct {
	w *kafka.Writer
}

func NewTracker(brokers []string) *Tracker {
	return &Tracker{w: &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        "clicks",
		RequiredAcks: kafka.RequireAll,
		Async:        true, // want "this Async kafka.Writer has no Completion: WriteMessages returns nil at once and every failed write is dropped without a trace"
	}}
}

func (t *Tracker) Track(ctx context.Context, v []byte) error {
	return t.w.WriteMessages(ctx, kafka.Message{Value: v})
}

func (t *Tracker) Close() error { return t.w.Close() }

func switchedOn(w *kafka.Writer) {
	w.Async = true // want "this Async kafka.Writer has no Completion"
}

func legacy(brokers []string) *kafka.Writer {
	return kafka.NewWriter(kafka.WriterConfig{Brokers: brokers, Topic: "clicks", RequiredAcks: -1, Async: true}) // want "an Async writer from NewWriter\\(WriterConfig\\{...\\}\\) cannot report errors"
}

// Quiet: Completion set in the literal.
func withCompletion(brokers []string) *kafka.Writer {
	return &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        "clicks",
		RequiredAcks: kafka.RequireAll,
		Async:        true,
		Completion: func(messages []kafka.Message, err error) {
			if err != nil {
				log.Printf("kafka: %d messages lost: %v", len(messages), err)
			}
		},
	}
}

// Quiet: Completion set right after.
func completionLater(brokers []string) *kafka.Writer {
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: "clicks", RequiredAcks: kafka.RequireAll, Async: true}
	w.Completion = func(messages []kafka.Message, err error) {
		if err != nil {
			log.Print(err)
		}
	}
	return w
}

// Quiet: synchronous.
func sync(brokers []string) *kafka.Writer {
	return &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: "clicks", RequiredAcks: kafka.RequireAll, Async: false}
}

type settings struct {
	Async bool
}

// Quiet: someone else's Async.
func other(s *settings) {
	s.Async = true
}
