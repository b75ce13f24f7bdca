// gobex:go 1.12

package ancient

import "fmt"

// Quiet: %w arrived in Go 1.13.
func one(err error) error {
	return fmt.Errorf("close: %v", err)
}

func two(err error) error {
	return fmt.Errorf("open: %s", err)
}

func three(err error) error {
	return fmt.Errorf("stat: %+v", err)
}
