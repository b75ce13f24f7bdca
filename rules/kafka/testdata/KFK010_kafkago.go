// gobex:select ERR003

package sink

import (
	"context"

	"github.com/segmentio/kafka-go"
)

type Sink struct {
	w *kafka.Writer
	r *kafka.Reader
}

func (s *Sink) Write(ctx context.Context, msgs ...kafka.Message) {
	s.w.WriteMessages(ctx, msgs...) // want "error returned by s.w.WriteMessages is dropped"
}

func (s *Sink) Ack(ctx context.Context, m kafka.Message) {
	s.r.CommitMessages(ctx, m) // want "error returned by s.r.CommitMessages is dropped"
}

// Quiet: checked.
func (s *Sink) WriteChecked(ctx context.Context, msgs ...kafka.Message) error {
	if err := s.w.WriteMessages(ctx, msgs...); err != nil {
		return err
	}
	return s.r.CommitMessages(ctx, msgs...)
}

// Quiet: the connection's WriteMessages is another method (ERR003's business).
func (s *Sink) Close() error {
	if err := s.w.Close(); err != nil {
		return err
	}
	return s.r.Close()
}

// Quiet: deferred.
func (s *Sink) Drain(ctx context.Context, m kafka.Message) {
	defer s.r.CommitMessages(ctx, m)
}
