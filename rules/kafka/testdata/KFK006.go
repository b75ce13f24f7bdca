package billing

import (
	"context"
	"encoding/json"
	"log"

	kafka "github.com/IBM/sarama"
)

type Invoice struct {
	ID string
}

type Handler struct {
	store interface {
		Save(ctx context.Context, inv Invoice) error
	}
}

func (h *Handler) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (h *Handler) Cleanup(kafka.ConsumerGroupSession) error { return nil }

func (h *Handler) apply(ctx context.Context, msg *kafka.ConsumerMessage) error {
	var inv Invoice
	if err := json.Unmarshal(msg.Value, &inv); err != nil {
		return err
	}
	return h.store.Save(ctx, inv)
}

// Marked first, then applied.
func (h *Handler) ConsumeClaim(session kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for msg := range claim.Messages() {
		session.MarkMessage(msg, "") // want "MarkMessage marks msg as consumed before it is processed: if processing fails or the process dies, the message is never redelivered \\(at-most-once\\)"
		if err := h.apply(session.Context(), msg); err != nil {
			return err
		}
	}
	return nil
}

type Auditor struct{}

func (a Auditor) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (a Auditor) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// The select form, decoding after the mark.
func (a Auditor) ConsumeClaim(sess kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for {
		select {
		case message, ok := <-claim.Messages():
			if !ok {
				return nil
			}
			sess.MarkOffset(message.Topic, message.Partition, message.Offset+1, "") // want "MarkOffset marks message as consumed before it is processed"
			var inv Invoice
			if err := json.Unmarshal(message.Value, &inv); err != nil {
				log.Printf("bad invoice: %v", err)
			}
		case <-sess.Context().Done():
			return nil
		}
	}
}

type Printer struct{ h *Handler }

func (p Printer) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (p Printer) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// The official example's shape: log, then mark.
func (p Printer) ConsumeClaim(session kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for message := range claim.Messages() {
		log.Printf("Message claimed: value = %s, timestamp = %v, topic = %s", string(message.Value), message.Timestamp, message.Topic)
		session.MarkMessage(message, "")
	}
	return nil
}

type Saver struct{ h *Handler }

func (s Saver) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (s Saver) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// Quiet: processed, then marked.
func (s Saver) ConsumeClaim(session kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for msg := range claim.Messages() {
		if err := s.h.apply(session.Context(), msg); err != nil {
			return err
		}
		session.MarkMessage(msg, "")
	}
	return nil
}

type Logger struct{}

func (Logger) Setup(kafka.ConsumerGroupSession) error   { return nil }
func (Logger) Cleanup(kafka.ConsumerGroupSession) error { return nil }

// Quiet: only logged after the mark.
func (Logger) ConsumeClaim(session kafka.ConsumerGroupSession, claim kafka.ConsumerGroupClaim) error {
	for msg := range claim.Messages() {
		session.MarkMessage(msg, "")
		log.Printf("consumed %s/%d@%d: %s", msg.Topic, msg.Partition, msg.Offset, string(msg.Value))
	}
	return nil
}
