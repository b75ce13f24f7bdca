package consumer

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"
)

func process(fetches kgo.Fetches) {}

// Blocks rebalances and never allows them.
func run(ctx context.Context, brokers []string) error {
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ConsumerGroup("billing"),
		kgo.ConsumeTopics("invoices"),
		kgo.BlockRebalanceOnPoll(), // want "BlockRebalanceOnPoll without any AllowRebalance\\(\\) call: the first rebalance waits forever and the member is kicked out of the group"
	)
	if err != nil {
		return err
	}
	defer cl.Close() // want "Close on a client that blocks rebalances on poll hangs until rebalances are allowed: use CloseAllowingRebalance"
	for ctx.Err() == nil {
		fetches := cl.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return nil
		}
		process(fetches)
	}
	return nil
}

type Consumer struct {
	client *kgo.Client
}

func groupOptions(group string, blocking bool) []kgo.Opt {
	opts := []kgo.Opt{kgo.ConsumerGroup(group)}
	if blocking {
		opts = append(opts, kgo.BlockRebalanceOnPoll())
	}
	return opts
}

// The option comes from a helper's slice.
func NewConsumer(brokers []string) (*Consumer, error) {
	cl, err := kgo.NewClient(append(groupOptions("audit", true), kgo.SeedBrokers(brokers...))...) // want "BlockRebalanceOnPoll without any AllowRebalance\\(\\) call"
	if err != nil {
		return nil, err
	}
	return &Consumer{client: cl}, nil
}

func (c *Consumer) Close() {
	c.client.Close() // want "use CloseAllowingRebalance"
}

// Quiet: a client without the option.
func plain(brokers []string) (*kgo.Client, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return nil, err
	}
	return cl, nil
}

// Quiet: another type's Close.
type closer struct{}

func (closer) Close() {}

func closeOther(c closer) {
	c.Close()
}

// Quiet: closed allowing rebalances.
func (c *Consumer) Shutdown() {
	c.client.CloseAllowingRebalance()
}
