package billing

import (
	"context"
	"errors"
	"log"
	"time"

	kafka "github.com/IBM/sarama"
)

type Service struct {
	group   kafka.ConsumerGroup
	handler kafka.ConsumerGroupHandler
	topics  []string
}

// Logs and retries forever.
func (s *Service) Run(ctx context.Context) {
	for {
		if err := s.group.Consume(ctx, s.topics, s.handler); err != nil { // want "this loop calls Consume forever: once ctx is cancelled or the group is closed, Consume returns at once and the loop spins at 100% CPU"
			log.Printf("consume: %v", err)
		}
	}
}

// In a goroutine; the select only leaves the select.
func start(ctx context.Context, group kafka.ConsumerGroup, h kafka.ConsumerGroupHandler) {
	go func() {
		for {
			err := group.Consume(ctx, []string{"invoices"}, h) // want "this loop calls Consume forever"
			select {
			case <-ctx.Done():
				log.Println("shutting down")
				break
			default:
			}
			if err != nil {
				time.Sleep(time.Second)
			}
		}
	}()
}

// `for true` is endless too.
func (s *Service) loop(ctx context.Context) {
	for true {
		_ = s.group.Consume(ctx, s.topics, s.handler) // want "this loop calls Consume forever"
	}
}

// Quiet: the official example's loop.
func (s *Service) Official(ctx context.Context) {
	for {
		if err := s.group.Consume(ctx, s.topics, s.handler); err != nil {
			if errors.Is(err, kafka.ErrClosedConsumerGroup) {
				return
			}
			log.Panicf("Error from consumer: %v", err)
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// Quiet: the loop condition checks the context.
func (s *Service) WhileAlive(ctx context.Context) error {
	for ctx.Err() == nil {
		if err := s.group.Consume(ctx, s.topics, s.handler); err != nil {
			log.Printf("consume: %v", err)
		}
	}
	return ctx.Err()
}

// Quiet: the old doc example panics on every error (ErrClosedConsumerGroup included).
func old(group kafka.ConsumerGroup, h kafka.ConsumerGroupHandler) {
	ctx := context.Background()
	for {
		err := group.Consume(ctx, []string{"my-topic"}, h)
		if err != nil {
			panic(err)
		}
	}
}

// Quiet: a labelled break out of a select.
func (s *Service) Labelled(ctx context.Context) {
loop:
	for {
		if err := s.group.Consume(ctx, s.topics, s.handler); err != nil {
			log.Print(err)
		}
		select {
		case <-ctx.Done():
			break loop
		default:
		}
	}
}

// Quiet: a single Consume call, no loop.
func (s *Service) Once(ctx context.Context) error {
	return s.group.Consume(ctx, s.topics, s.handler)
}
