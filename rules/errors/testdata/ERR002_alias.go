package events

import (
	stdsql "database/sql"
	stderrors "errors"
	"io"

	"github.com/IBM/sarama"
)

type consumer struct {
	group sarama.ConsumerGroup
	db    *stdsql.DB
}

func (c *consumer) load(id int64) error { return nil }

// The file imports errors under another name: the fix uses it.
func (c *consumer) handle(id int64) error {
	err := c.load(id)
	if err == stdsql.ErrNoRows { // want "err == stdsql.ErrNoRows is false once the error is wrapped"
		return nil
	}
	return err
}

func (c *consumer) closed(err error) bool {
	return err == sarama.ErrClosedConsumerGroup // want "err == sarama.ErrClosedConsumerGroup is false once the error is wrapped"
}

func (c *consumer) done(id int64) bool {
	err := c.load(id)
	return err == io.ErrUnexpectedEOF || stderrors.Is(err, io.EOF) // want "err == io.ErrUnexpectedEOF is false"
}

// Quiet: io.ReadFull returns io.ErrUnexpectedEOF itself.
func header(r io.Reader, buf []byte) error {
	_, err := io.ReadFull(r, buf)
	if err == io.ErrUnexpectedEOF {
		return nil
	}
	return err
}
