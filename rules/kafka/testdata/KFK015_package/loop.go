package worker

import "context"

func (w *Worker) Run(ctx context.Context) {
	for ctx.Err() == nil {
		fetches := w.client.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return
		}
		fetches.EachRecord(nil)
		w.client.AllowRebalance()
	}
}

// The client is closed in another file than the one creating it.
func (w *Worker) Stop() {
	w.client.Close() // want "Close on a client that blocks rebalances on poll hangs"
}
