package multi

import (
	"context"

	"k8s.io/apimachinery/pkg/api/errors"
)

func run(ctx context.Context) error { return nil }

// Another package is imported as errors: reported, no fix (errors.Is would be its Is).
func stopped(ctx context.Context) bool {
	err := run(ctx)
	return err == context.DeadlineExceeded || errors.IsTimeout(err) // want "err == context.DeadlineExceeded is false"
}
