package sink

import (
	"context"
	"testing"

	"github.com/segmentio/kafka-go"
)

// Quiet: tests write to a throwaway broker; acks do not matter there.
func TestWrite(t *testing.T) {
	w := &kafka.Writer{Addr: kafka.TCP("localhost:9092"), Topic: "t"}
	defer w.Close()
	if err := w.WriteMessages(context.Background(), kafka.Message{Value: []byte("v")}); err != nil {
		t.Fatal(err)
	}
}
