package repo

import (
	"fmt"
	"testing"
)

// Quiet: in tests the error becomes a failure message; no caller unwraps it.
func check(err error) error {
	if err != nil {
		return fmt.Errorf("Save() = %v, want nil", err)
	}
	return nil
}

func TestSave(t *testing.T) {
	if err := check(nil); err != nil {
		t.Fatal(fmt.Errorf("unexpected: %v", err))
	}
}

func TestLoad(t *testing.T) {
	var err error
	t.Log(fmt.Errorf("load: %s", err))
}
