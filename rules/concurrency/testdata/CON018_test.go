package broker

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	req "github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

type Broker struct{}

func (b *Broker) Publish(topic string) error { return nil }
func (b *Broker) Next() (string, error)     { return "", errors.New("empty") }

// Positive: t.Fatalf directly in the goroutine's func literal.
func TestPublishDirect(t *testing.T) {
	b := &Broker{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := b.Publish("orders"); err != nil {
			t.Fatalf("publish: %v", err) // want "t.Fatalf calls t.FailNow from a goroutine the test started: it stops this goroutine, not the test"
		}
		t.Log("published")
	}()
	<-done
}

// Positive: FailNow and Skip on a *testing.B, and t.Fatal as the last statement.
func BenchmarkPublish(b *testing.B) {
	br := &Broker{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if br.Publish("x") != nil {
			b.FailNow() // want "b.FailNow calls t.FailNow"
		}
	}()
	go func() {
		defer wg.Done()
		b.Skip("not now") // want "b.Skip calls t.FailNow"
	}()
	wg.Wait()
}

// Positive: testify require under another import name, and require.New.
func TestRequireAliased(t *testing.T) {
	b := &Broker{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		msg, err := b.Next()
		req.NoError(t, err) // want "req.NoError calls t.FailNow .*use assert and return"
		r := req.New(t)
		r.Equal("hello", msg) // want "r.Equal calls t.FailNow"
	}()
	<-done
}

// Positive: a helper of the package that calls t.Fatal, started with go and called from a goroutine.
func mustPublish(t *testing.T, b *Broker) {
	if err := b.Publish("orders"); err != nil {
		t.Fatal(err)
	}
}

func consumeAll(tb testing.TB, b *Broker) {
	for {
		if _, err := b.Next(); err != nil {
			tb.Fatalf("next: %v", err)
		}
	}
}

func publishTwice(t *testing.T, b *Broker) {
	mustPublish(t, b)
	mustPublish(t, b)
}

func TestHelpers(t *testing.T) {
	b := &Broker{}
	go mustPublish(t, b) // want "mustPublish reaches t.Fatal"
	go func() {
		consumeAll(t, b) // want "consumeAll reaches tb.Fatalf"
	}()
	go func() {
		publishTwice(t, b) // want "publishTwice reaches t.Fatal"
	}()
	time.Sleep(time.Millisecond)
}

// Positive: errgroup and Go 1.25's WaitGroup.Go.
func TestGroups(t *testing.T) {
	b := &Broker{}
	var g errgroup.Group
	g.Go(func() error {
		if err := b.Publish("a"); err != nil {
			t.Fatal(err) // want "t.Fatal calls t.FailNow"
		}
		return nil
	})
	_ = g.Wait()
	var wg sync.WaitGroup
	wg.Go(func() {
		req.NoError(t, b.Publish("b")) // want "req.NoError calls t.FailNow"
	})
	wg.Wait()
}

// Positive: a func literal held in a variable and started with go; a defer and
// a closure called inside the goroutine run on it too.
func TestClosures(t *testing.T) {
	b := &Broker{}
	publish := func() {
		if err := b.Publish("c"); err != nil {
			t.Fatal(err) // want "t.Fatal calls t.FailNow"
		}
	}
	go publish()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v", r) // want "t.Fatalf calls t.FailNow"
			}
		}()
		check := func(err error) {
			if err != nil {
				t.Fatal(err) // want "t.Fatal calls t.FailNow"
			}
		}
		check(b.Publish("d"))
	}()
}

// Positive: a goroutine inside a subtest is still not the subtest's goroutine.
func TestGoInsideSubtest(t *testing.T) {
	t.Run("inner", func(t *testing.T) {
		go func() {
			t.Fatal("boom") // want "t.Fatal calls t.FailNow"
		}()
	})
}

// Positive: time.AfterFunc runs its function on a goroutine of its own.
func TestAfterFunc(t *testing.T) {
	time.AfterFunc(time.Second, func() {
		t.FailNow() // want "t.FailNow calls t.FailNow"
	})
}

// Positive: a local type embedding *testing.T.
type harness struct {
	*testing.T
	b *Broker
}

func TestHarness(t *testing.T) {
	h := &harness{T: t, b: &Broker{}}
	go func() {
		h.Fatal("x") // want "h.Fatal calls t.FailNow"
	}()
}

// Positive, without a fix: the early return would skip the wg.Done the test
// waits for, as FailNow does (gocloud's drivertest); it needs a defer.
func TestWaitGroupNotDeferred(t *testing.T) {
	b := &Broker{}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			if err := b.Publish("n"); err != nil {
				t.Fatal(err) // want "t.Fatal calls t.FailNow"
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// Positive: the parent test's t (or a require.New of it) failed from inside a
// subtest, which runs on a goroutine of its own.
func TestParentInSubtest(t *testing.T) {
	b := &Broker{}
	r := req.New(t)
	t.Run("publish", func(st *testing.T) {
		if err := b.Publish("p"); err != nil {
			t.Fatalf("publish: %v", err) // want "t.Fatalf calls FailNow on t of the parent test from the subtest's goroutine"
		}
		req.NoError(t, b.Publish("q")) // want "req.NoError calls FailNow on t of the parent test"
		r.NoError(b.Publish("r"))      // want "r.NoError calls FailNow on r of the parent test"
		req.NoError(st, b.Publish("s"))
		st.Run("nested", func(nt *testing.T) {
			st.FailNow() // want "st.FailNow calls FailNow on st of the parent test"
			nt.FailNow()
		})
	})
}

// Quiet: subtests run on goroutines of their own; FailNow there is correct.
func TestSubtests(t *testing.T) {
	b := &Broker{}
	t.Run("publish", func(t *testing.T) {
		if err := b.Publish("e"); err != nil {
			t.Fatal(err)
		}
		req.NoError(t, b.Publish("f"))
	})
	t.Cleanup(func() {
		if err := b.Publish("g"); err != nil {
			t.Fatal(err)
		}
	})
}

// Quiet: Errorf, assert and logging in a goroutine report and continue.
func TestReportAndContinue(t *testing.T) {
	b := &Broker{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := b.Publish("h"); err != nil {
			t.Errorf("publish: %v", err)
			return
		}
		assert.NoError(t, b.Publish("i"))
		a := assert.New(t)
		a.Equal(1, 1)
		t.Log("ok")
	}()
	<-done
}

// Quiet: Fatal outside any goroutine, in a defer, in a closure called synchronously.
func TestSynchronous(t *testing.T) {
	b := &Broker{}
	defer func() {
		if err := b.Publish("j"); err != nil {
			t.Fatal(err)
		}
	}()
	publish := func() {
		req.NoError(t, b.Publish("k"))
	}
	publish()
	mustPublish(t, b)
	if err := b.Publish("l"); err != nil {
		t.Fatal(err)
	}
}

// Quiet: the goroutine only sends the error back; the test goroutine fails.
func TestErrorsBack(t *testing.T) {
	b := &Broker{}
	errs := make(chan error, 1)
	go func() {
		errs <- b.Publish("m")
	}()
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// Quiet: a value named t that is not a test.
type tracer struct{}

func (tracer) Fatal(args ...any) {}

func TestNotATest(t *testing.T) {
	tr := tracer{}
	go func() {
		tr.Fatal("x")
	}()
	_ = t
}
