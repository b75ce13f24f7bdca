// gobex:go 1.19

package legacy

import "fmt"

// Before Go 1.20 a second %w does not compile: only the first error is reported.
func both(readErr, closeErr error) error {
	return fmt.Errorf("read: %v, close: %v", readErr, closeErr) // want "formats readErr with %v"
}

// Quiet: already wraps one error; a second %w is invalid before Go 1.20.
func already(err, closeErr error) error {
	return fmt.Errorf("%w (close: %v)", err, closeErr)
}

func one(err error) error {
	return fmt.Errorf("close: %v", err) // want "formats err with %v"
}
