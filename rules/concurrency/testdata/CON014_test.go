package worker

import (
	"context"
	"testing"
)

// Quiet: a test suite's state lives as long as the test.
type suite struct {
	t   *testing.T
	ctx context.Context
}

func TestSuite(t *testing.T) {
	s := suite{t: t, ctx: context.Background()}
	_ = s
}
