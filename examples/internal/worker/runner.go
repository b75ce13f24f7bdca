// Package worker runs the service's periodic background jobs.
package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Job is a task run every Every until the runner stops.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// Runner runs jobs, each on its own ticker.
type Runner struct {
	Jobs []Job
	Log  *slog.Logger
}

// Run starts every job and returns once ctx is done and all jobs have returned.
func (r *Runner) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, job := range r.Jobs {
		wg.Add(1)
		go func(job Job) {
			defer wg.Done()
			r.loop(ctx, job)
		}(job)
	}
	wg.Wait()
}

func (r *Runner) loop(ctx context.Context, job Job) {
	ticker := time.NewTicker(job.Every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			start := time.Now()
			if err := job.Run(ctx); err != nil {
				r.Log.Error("job failed", "job", job.Name, "err", err)
				continue
			}
			r.Log.Debug("job done", "job", job.Name, "took", time.Since(start))
		}
	}
}
