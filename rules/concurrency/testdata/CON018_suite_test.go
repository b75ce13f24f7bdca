package broker

import (
	"testing"

	"github.com/stretchr/testify/suite"
)

type Store struct{}

func (s *Store) Save() error { return nil }

type StoreSuite struct {
	suite.Suite
	store *Store
}

func TestStoreSuite(t *testing.T) {
	suite.Run(t, new(StoreSuite))
}

// Positive: the suite's Require() and T() from a goroutine.
func (s *StoreSuite) TestConcurrentSave() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Require().NoError(s.store.Save()) // want "s.Require\\(\\).NoError calls t.FailNow"
	}()
	go func() {
		if err := s.store.Save(); err != nil {
			s.T().Fatal(err) // want "s.T\\(\\).Fatal calls t.FailNow"
		}
	}()
	<-done
}

// Positive: a suite method started as a goroutine.
func (s *StoreSuite) saveLoop() {
	for i := 0; i < 3; i++ {
		s.Require().NoError(s.store.Save())
	}
}

func (s *StoreSuite) TestSaveLoop() {
	go s.saveLoop() // want "s.saveLoop reaches s.Require\\(\\).NoError"
}

// Quiet: the suite's embedded assertions and Assert() do not stop the test;
// s.Run starts a subtest.
func (s *StoreSuite) TestQuiet() {
	go func() {
		s.NoError(s.store.Save())
		s.Assert().NoError(s.store.Save())
	}()
	s.Run("sub", func() {
		s.Require().NoError(s.store.Save())
	})
	s.Require().NoError(s.store.Save())
}
