package consumer

import (
	"context"
	"errors"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Returns early without closing the client.
func drain(ctx context.Context, brokers []string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics("events")) // want "Client from NewClient is not closed on every path"
	if err != nil {
		return err
	}
	fetches := cl.PollFetches(ctx)
	if errs := fetches.Errors(); len(errs) > 0 {
		return errors.New("fetch failed")
	}
	cl.Close()
	return nil
}

// Produces once and leaks the client.
func produceOnce(ctx context.Context, opts []kgo.Opt, r *kgo.Record) error {
	cl, err := kgo.NewClient(opts...) // want "Client from NewClient is never closed"
	if err != nil {
		return err
	}
	return cl.ProduceSync(ctx, r).FirstErr()
}

// Quiet: closed allowing the rebalance.
func consume(ctx context.Context, opts ...kgo.Opt) error {
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return err
	}
	defer cl.CloseAllowingRebalance()
	fetches := cl.PollFetches(ctx)
	return fetches.Err()
}

// Quiet: kept in a struct whose Close closes it.
type Service struct {
	client *kgo.Client
}

func NewService(opts ...kgo.Opt) (*Service, error) {
	s := &Service{}
	var err error
	s.client, err = kgo.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) Close() {
	s.client.Close()
}
