package worker

import (
	"context"
	"log"

	"github.com/segmentio/kafka-go"
)

func process(ctx context.Context, m kafka.Message) error { return nil }

func run(ctx context.Context, brokers []string) error {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, GroupID: "billing", Topic: "invoices"})
	defer r.Close()
	for {
		m, err := r.ReadMessage(ctx) // want "ReadMessage commits m before it is processed \\(the reader has a GroupID\\): when processing fails it is lost; use FetchMessage and CommitMessages after processing"
		if err != nil {
			return err
		}
		if err := process(ctx, m); err != nil {
			log.Printf("invoice %s: %v", m.Key, err)
			continue
		}
	}
}

type Worker struct {
	reader *kafka.Reader
}

func NewWorker(brokers []string) *Worker {
	return &Worker{reader: kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, GroupID: "billing", Topic: "invoices"})}
}

func (w *Worker) Close() error { return w.reader.Close() }

// The reader is a field; its GroupID is set where the package creates it.
func (w *Worker) Run(ctx context.Context) error {
	for {
		msg, err := w.reader.ReadMessage(ctx) // want "ReadMessage commits msg before it is processed"
		if err != nil {
			return err
		}
		err = process(ctx, msg)
		if err != nil {
			return err
		}
	}
}

// Quiet: fetch, process, commit.
func atLeastOnce(ctx context.Context, r *kafka.Reader) error {
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return err
		}
		if err := process(ctx, m); err != nil {
			return err
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			return err
		}
	}
}

// Quiet: no GroupID, nothing is committed.
func tail(ctx context.Context, brokers []string) error {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: "invoices", Partition: 0})
	defer r.Close()
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			return err
		}
		if err := process(ctx, m); err != nil {
			continue
		}
	}
}

// Quiet: processing cannot fail here.
func count(ctx context.Context, brokers []string) (int, error) {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, GroupID: "counter", Topic: "invoices"})
	defer r.Close()
	n := 0
	for n < 100 {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			return n, err
		}
		log.Printf("message at offset %d: %s = %s", m.Offset, string(m.Key), string(m.Value))
		n++
	}
	return n, nil
}
