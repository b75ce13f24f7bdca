package events

import (
	"context"
	"database/sql"
	"strconv"

	kafka "github.com/IBM/sarama"
	kafkago "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"
)

type Order struct {
	ID    int64
	Value []byte
}

type Outbox struct {
	producer kafka.SyncProducer
	writer   *kafkago.Writer
	client   *kgo.Client
}

func (o *Outbox) PublishAll(orders []Order) error {
	for _, ord := range orders {
		msg := &kafka.ProducerMessage{Topic: "orders", Key: kafka.StringEncoder(strconv.FormatInt(ord.ID, 10)), Value: kafka.ByteEncoder(ord.Value)}
		if _, _, err := o.producer.SendMessage(msg); err != nil { // want "SendMessage in a loop waits for the brokers once per message: send the batch with SendMessages"
			return err
		}
	}
	return nil
}

func (o *Outbox) WriteAll(ctx context.Context, orders []Order) error {
	for i := 0; i < len(orders); i++ {
		err := o.writer.WriteMessages(ctx, kafkago.Message{Value: orders[i].Value}) // want "WriteMessages with one message in a loop waits up to the writer's BatchTimeout \\(1s by default\\) per message"
		if err != nil {
			return err
		}
	}
	return nil
}

func (o *Outbox) Drain(ctx context.Context, rows *sql.Rows) error {
	for rows.Next() {
		var value []byte
		if err := rows.Scan(&value); err != nil {
			return err
		}
		if err := o.client.ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: value}).FirstErr(); err != nil { // want "ProduceSync with one record in a loop waits for the brokers once per record"
			return err
		}
	}
	return rows.Err()
}

// Quiet: one batch.
func (o *Outbox) WriteBatch(ctx context.Context, orders []Order) error {
	msgs := make([]kafkago.Message, 0, len(orders))
	for _, ord := range orders {
		msgs = append(msgs, kafkago.Message{Value: ord.Value})
	}
	return o.writer.WriteMessages(ctx, msgs...)
}

// Quiet: a retry loop sends the same message again.
func (o *Outbox) Retry(msg *kafka.ProducerMessage) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if _, _, err = o.producer.SendMessage(msg); err == nil {
			return nil
		}
	}
	return err
}

// Quiet: a stream from a channel.
func (o *Outbox) Forward(ctx context.Context, in <-chan *kgo.Record) error {
	for r := range in {
		if err := o.client.ProduceSync(ctx, r).FirstErr(); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: an async writer returns at once.
func asyncWrites(ctx context.Context, orders []Order) error {
	w := &kafkago.Writer{Addr: kafkago.TCP("localhost:9092"), Topic: "orders", Async: true, RequiredAcks: kafkago.RequireAll}
	defer w.Close()
	for _, ord := range orders {
		if err := w.WriteMessages(ctx, kafkago.Message{Value: ord.Value}); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: the whole slice per iteration of an outer loop.
func (o *Outbox) Chunks(ctx context.Context, chunks [][]kafkago.Message) error {
	for _, chunk := range chunks {
		if err := o.writer.WriteMessages(ctx, chunk...); err != nil {
			return err
		}
	}
	return nil
}
