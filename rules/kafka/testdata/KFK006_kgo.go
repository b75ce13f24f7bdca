package consumer

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"
)

func handle(r *kgo.Record) error { return nil }

func commitFirst(ctx context.Context, cl *kgo.Client) {
	for {
		fetches := cl.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return
		}
		cl.CommitRecords(ctx, fetches.Records()...) // want "CommitRecords commits fetches before they are processed"
		fetches.EachRecord(func(r *kgo.Record) {
			_ = handle(r)
		})
	}
}

func markFirst(ctx context.Context, cl *kgo.Client) error {
	fetches := cl.PollFetches(ctx)
	if err := fetches.Err(); err != nil {
		return err
	}
	records := fetches.Records()
	cl.MarkCommitRecords(records...) // want "MarkCommitRecords commits records before they are processed"
	for _, r := range records {
		if err := handle(r); err != nil {
			return err
		}
	}
	return nil
}

// Quiet: processed, then committed.
func commitAfter(ctx context.Context, cl *kgo.Client) error {
	fetches := cl.PollFetches(ctx)
	if err := fetches.Err(); err != nil {
		return err
	}
	var failed error
	fetches.EachRecord(func(r *kgo.Record) {
		if err := handle(r); err != nil {
			failed = err
		}
	})
	if failed != nil {
		return failed
	}
	return cl.CommitRecords(ctx, fetches.Records()...)
}

// Quiet: marked after each record is handled.
func markAfter(ctx context.Context, cl *kgo.Client) error {
	fetches := cl.PollFetches(ctx)
	if err := fetches.Err(); err != nil {
		return err
	}
	for _, r := range fetches.Records() {
		if err := handle(r); err != nil {
			return err
		}
		cl.MarkCommitRecords(r)
	}
	return nil
}
