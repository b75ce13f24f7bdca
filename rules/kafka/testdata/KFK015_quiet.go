package quiet

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Quiet: allows rebalances after each poll and closes allowing them.
func run(ctx context.Context, brokers []string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumerGroup("g"), kgo.BlockRebalanceOnPoll())
	if err != nil {
		return err
	}
	defer cl.CloseAllowingRebalance()
	for ctx.Err() == nil {
		fetches := cl.PollFetches(ctx)
		if err := fetches.Err(); err != nil {
			return err
		}
		cl.AllowRebalance()
	}
	return nil
}

// Quiet: rebalances are not blocked; Close is fine.
func plain(ctx context.Context, brokers []string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumerGroup("g"))
	if err != nil {
		return err
	}
	defer cl.Close()
	return cl.PollFetches(ctx).Err()
}

// Quiet: a client from the caller.
func closeIt(cl *kgo.Client) {
	cl.Close()
}
