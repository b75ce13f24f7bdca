package billing

import (
	"context"
	"log"
	"sync"

	kafka "github.com/IBM/sarama"
)

type processor interface {
	Process(ctx context.Context, msg *kafka.ConsumerMessage) error
}

type Handler struct {
	p processor
}

func (h *Handler) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (h *Handler) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// Ranges without watching the session, and hands each message to a goroutine.
func (h *Handler) ConsumeClaim(session kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for msg := range claim.Messages() { // want "ConsumeClaim ranges over claim.Messages\\(\\) without watching session.Context\\(\\).Done\\(\\): a rebalance waits until every buffered message is processed"
		go func(m *kafka.ConsumerMessage) { // want "a goroutine per message in ConsumeClaim: the partition's order is lost and MarkMessage no longer follows the processing it stands for"
			if err := h.p.Process(context.Background(), m); err != nil {
				log.Print(err)
			}
		}(msg)
		session.MarkMessage(msg, "")
	}
	return nil
}

type Fanout struct {
	p processor
}

func (f Fanout) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (f Fanout) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// Watches the session, but still spawns a goroutine per message.
func (f Fanout) ConsumeClaim(sess kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for {
		select {
		case msg, ok := <-claim.Messages():
			if !ok {
				return nil
			}
			go f.p.Process(sess.Context(), msg) // want "a goroutine per message in ConsumeClaim"
			sess.MarkMessage(msg, "")
		case <-sess.Context().Done():
			return nil
		}
	}
}

type Plain struct{}

func (Plain) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (Plain) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// The sarama 1.22 doc example: range only.
func (Plain) ConsumeClaim(sess kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for msg := range claim.Messages() { // want "ConsumeClaim ranges over claim.Messages\\(\\) without watching"
		log.Printf("Message topic:%q partition:%d offset:%d", msg.Topic, msg.Partition, msg.Offset)
		sess.MarkMessage(msg, "")
	}
	return nil
}

type Official struct{}

func (Official) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (Official) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// Quiet: the official example's select.
func (Official) ConsumeClaim(session kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for {
		select {
		case message, ok := <-claim.Messages():
			if !ok {
				log.Printf("message channel was closed")
				return nil
			}
			log.Printf("Message claimed: value = %s, timestamp = %v, topic = %s", string(message.Value), message.Timestamp, message.Topic)
			session.MarkMessage(message, "")
		case <-session.Context().Done():
			return nil
		}
	}
}

type Checked struct{ p processor }

func (Checked) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (Checked) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// Quiet: ranges, but leaves as soon as the session ends.
func (c Checked) ConsumeClaim(session kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	ctx := session.Context()
	for msg := range claim.Messages() {
		if ctx.Err() != nil {
			return nil
		}
		if err := c.p.Process(ctx, msg); err != nil {
			return err
		}
		session.MarkMessage(msg, "")
	}
	return nil
}

type Batch struct{ p processor }

func (Batch) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (Batch) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// Quiet: fans out one message's work and waits for it before the next.
func (b Batch) ConsumeClaim(session kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for {
		select {
		case msg, ok := <-claim.Messages():
			if !ok {
				return nil
			}
			var wg sync.WaitGroup
			for i := 0; i < 2; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_ = b.p.Process(session.Context(), msg)
				}()
			}
			wg.Wait()
			session.MarkMessage(msg, "")
		case <-session.Context().Done():
			return nil
		}
	}
}

type notAHandler struct{}

// Quiet: a ConsumeClaim that is not sarama's.
func (notAHandler) ConsumeClaim(ch chan int) {
	for v := range ch {
		go log.Println(v)
	}
}
