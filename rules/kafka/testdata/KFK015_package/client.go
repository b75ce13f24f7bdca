package worker

import "github.com/twmb/franz-go/pkg/kgo"

func options(brokers []string) []kgo.Opt {
	opts := []kgo.Opt{kgo.SeedBrokers(brokers...), kgo.ConsumerGroup("w")}
	opts = append(opts, kgo.BlockRebalanceOnPoll())
	return opts
}

type Worker struct {
	client *kgo.Client
}

func New(brokers []string) (*Worker, error) {
	cl, err := kgo.NewClient(options(brokers)...)
	if err != nil {
		return nil, err
	}
	return &Worker{client: cl}, nil
}
