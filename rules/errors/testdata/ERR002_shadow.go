package batch

import (
	"io"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

func load() error { return nil }

// A local variable named errors hides the package: reported, no fix.
func collect() []error {
	var errors []error
	if err := load(); err != io.EOF { // want "err != io.EOF is true once the error is wrapped"
		errors = append(errors, err)
	}
	return errors
}

func gone(err error) bool {
	return apierrors.IsNotFound(err) || err == io.ErrClosedPipe // want "err == io.ErrClosedPipe is false"
}
