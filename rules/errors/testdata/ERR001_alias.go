package worker

import (
	f "fmt"
	"io"
)

type reader struct{ src io.Reader }

func (r *reader) next(buf []byte) error {
	if _, err := r.src.Read(buf); err != nil {
		return f.Errorf("read frame: %v", err) // want "formats err with %v"
	}
	return nil
}

func escaped(err error) error {
	return f.Errorf("a\tb \x41 %v", err) // want "formats err with %v"
}

func raw(err error) error {
	return f.Errorf(`read "frame": %s`, err) // want "formats err with %s"
}

const prefix = "flush: "

func concatenated(err error) error {
	return f.Errorf(prefix+"%v", err) // want "formats err with %v"
}

// Quiet: %w
func ok(err error) error {
	return f.Errorf("flush: %w", err)
}
