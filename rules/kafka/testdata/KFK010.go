// gobex:select ERR003

package events

import (
	"context"
	"log"

	kafka "github.com/IBM/sarama"
	kgo "github.com/twmb/franz-go/pkg/kgo"
)

type Publisher struct {
	producer kafka.SyncProducer
	client   *kgo.Client
}

// sarama: the error is dropped (reported once, by KFK010, not by ERR003).
func (p *Publisher) Publish(topic string, value []byte) {
	p.producer.SendMessage(&kafka.ProducerMessage{Topic: topic, Value: kafka.ByteEncoder(value)}) // want "error returned by p.producer.SendMessage is dropped: failed messages are lost silently"
}

func (p *Publisher) PublishAll(msgs []*kafka.ProducerMessage) int32 {
	partition, _, _ := p.producer.SendMessage(msgs[0]) // want "error returned by p.producer.SendMessage is discarded with _"
	p.producer.SendMessages(msgs[1:])                  // want "error returned by p.producer.SendMessages is dropped"
	return partition
}

// franz-go: ProduceSync's results are never looked at.
func (p *Publisher) Send(ctx context.Context, r *kgo.Record) {
	p.client.ProduceSync(ctx, r) // want "the results of ProduceSync are never checked: records that failed to publish are lost silently"
}

func (p *Publisher) SendLogged(ctx context.Context, r *kgo.Record) {
	results := p.client.ProduceSync(ctx, r) // want "the results of ProduceSync are never checked"
	log.Printf("sent %d records", len(results))
}

// Quiet: discarded in plain sight.
func (p *Publisher) SendAndForget(ctx context.Context, r *kgo.Record) {
	results := p.client.ProduceSync(ctx, r)
	_ = results
}

// franz-go: the poll loop never asks the fetches for errors.
func consume(ctx context.Context, cl *kgo.Client, handle func(*kgo.Record)) {
	for {
		fetches := cl.PollFetches(ctx) // want "fetch errors from PollFetches are never checked: a closed client or a cancelled context makes the poll loop spin, and broker errors are lost"
		fetches.EachRecord(handle)
	}
}

func consumeChained(ctx context.Context, cl *kgo.Client, handle func(*kgo.Record)) {
	for ctx.Err() == nil {
		cl.PollRecords(ctx, 100).EachRecord(handle) // want "fetch errors from PollRecords are never checked"
	}
}

// Quiet: the error is checked.
func (p *Publisher) PublishChecked(msg *kafka.ProducerMessage) error {
	_, _, err := p.producer.SendMessage(msg)
	return err
}

// Quiet: discarded in plain sight.
func (p *Publisher) BestEffort(msg *kafka.ProducerMessage) {
	_, _, _ = p.producer.SendMessage(msg)
}

// Quiet: ProduceSync checked through FirstErr.
func (p *Publisher) SendChecked(ctx context.Context, r *kgo.Record) error {
	return p.client.ProduceSync(ctx, r).FirstErr()
}

// Quiet: the results are ranged over.
func (p *Publisher) SendEach(ctx context.Context, rs ...*kgo.Record) error {
	for _, res := range p.client.ProduceSync(ctx, rs...) {
		if res.Err != nil {
			return res.Err
		}
	}
	return nil
}

// Quiet: the official poll loop shape.
func consumeChecked(ctx context.Context, cl *kgo.Client, handle func(*kgo.Record)) {
	for {
		fetches := cl.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return
		}
		fetches.EachError(func(t string, p int32, err error) {
			log.Printf("fetch err topic %s partition %d: %v", t, p, err)
		})
		fetches.EachRecord(handle)
	}
}

// Quiet: the fetches go back to the caller.
func poll(ctx context.Context, cl *kgo.Client) kgo.Fetches {
	fetches := cl.PollFetches(ctx)
	return fetches
}
