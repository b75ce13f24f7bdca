package channels

import (
	"context"
	"errors"
	"log"
	syncpkg "sync"
	"sync/atomic"
)

type Result struct {
	Value int
	Err   error
}

type Server struct {
	done   chan struct{}
	doneCh chan struct{}
	quit   chan struct{}
	closed bool
	once   syncpkg.Once
	mu     syncpkg.Mutex
}

type worker struct{ jobs chan int }

func compute(ctx context.Context, n int) Result { return Result{Value: n} }

func produce(out chan<- Result, items []int) {
	for _, n := range items {
		out <- Result{Value: n}
	}
}

// Positive: closed twice in a row.
func Twice(out chan int) {
	close(out)
	log.Println("closed")
	close(out) // want `close\(out\) runs again after an earlier close\(out\) on the same path: close of closed channel panics`
}

// Positive: a method, a struct field, an early close that does not return.
func (s *Server) Shutdown(err error) {
	if err != nil {
		log.Println(err)
		close(s.done)
	}
	close(s.done) // want `close\(s.done\) runs again after an earlier close`
}

// Positive: a close in a loop body that goes on to the next iteration.
func Drain(jobs []int, results chan int) {
	for _, j := range jobs {
		results <- j
		close(results) // want `close\(results\) in a loop that goes on to its next iteration: the second close panics`
	}
}

// Positive: the stop case closes and loops again; the closed stop channel fires again.
func (s *Server) Forward(in <-chan int, out chan int) {
	for {
		select {
		case v := <-in:
			out <- v
		case <-s.quit:
			close(out) // want `close\(out\) in a loop that goes on to its next iteration`
		}
	}
}

// Positive: in a closure.
func Cleanup(conns []*Server, done chan struct{}) func() {
	return func() {
		for _, c := range conns {
			c.mu.Lock()
			close(done) // want `close\(done\) in a loop`
			c.mu.Unlock()
		}
	}
}

// Positive: a deferred close plus an explicit one.
func Emit(values []int, out chan int) error {
	defer close(out)
	for _, v := range values {
		if v < 0 {
			close(out) // want `close\(out\) runs before a deferred close\(out\), which panics when the function returns`
			return errors.New("negative")
		}
		out <- v
	}
	return nil
}

// Positive: the receiver closes after the first result while the other senders still send.
func First(ctx context.Context, inputs []int) Result {
	results := make(chan Result)
	for _, n := range inputs {
		n := n
		go func() {
			results <- compute(ctx, n)
		}()
	}
	r := <-results
	close(results) // want `close\(results\) while goroutines started here may still send on it: send on closed channel panics`
	return r
}

// Positive: the sender is a helper function of the package; the receiver gives up on error.
func Collect(batches [][]int) error {
	results := make(chan Result, 16)
	for _, b := range batches {
		go produce(results, b)
	}
	for {
		r := <-results
		if r.Err != nil {
			close(results) // want `close\(results\) while goroutines started here may still send on it`
			return r.Err
		}
	}
}

// Quiet: the close in a loop is followed by break or return.
func Until(in <-chan int, out chan int, stop int) {
	for v := range in {
		if v == stop {
			close(out)
			break
		}
		out <- v
	}
}

func UntilEmpty(in <-chan int, out chan int) {
	for {
		select {
		case v := <-in:
			out <- v
		default:
			close(out)
			return
		}
	}
}

// Quiet: guarded by sync.Once (aliased import) and by a closed flag.
func (s *Server) Stop() {
	s.once.Do(func() {
		close(s.done)
	})
	s.once.Do(func() { close(s.done) })
	for i := 0; i < 3; i++ {
		s.mu.Lock()
		if !s.closed {
			close(s.quit)
			s.closed = true
		}
		s.mu.Unlock()
	}
}

// Quiet: a closed flag tested before the close.
func (s *Server) StopAll(n int) {
	for i := 0; i < n; i++ {
		if s.closed {
			continue
		}
		close(s.quit)
		s.closed = true
	}
}

// Quiet: "close unless closed" through a select.
func (s *Server) Close() {
	for i := 0; i < 2; i++ {
		select {
		case <-s.done:
		default:
			close(s.done)
		}
	}
}

// Quiet: mutually exclusive branches.
func Branches(out chan int, err error) {
	if err != nil {
		close(out)
	} else {
		close(out)
	}
}

func Cases(ctx context.Context, out chan int, mode int) {
	switch mode {
	case 1:
		close(out)
	case 2:
		close(out)
	}
}

func Selected(ctx context.Context, out chan int) {
	select {
	case <-ctx.Done():
		close(out)
	default:
		close(out)
	}
}

// Quiet: an early close that returns.
func Early(out chan int, err error) error {
	if err != nil {
		close(out)
		return err
	}
	out <- 1
	close(out)
	return nil
}

// Quiet: a channel made in each iteration, one per worker, one per index, reset to nil.
func PerIteration(workers []*worker, chans []chan int, in <-chan int) {
	for i := 0; i < 3; i++ {
		ch := make(chan int, 1)
		ch <- i
		close(ch)
	}
	for _, w := range workers {
		close(w.jobs)
	}
	for i := range chans {
		close(chans[i])
	}
	var batch chan int
	for v := range in {
		if batch == nil {
			batch = make(chan int, 8)
		}
		batch <- v
		if len(batch) == cap(batch) {
			close(batch)
			batch = nil
		}
	}
}

// Quiet: a deferred close only; different channels with similar names.
func (s *Server) Run(out chan int, out2 chan int) {
	defer close(out)
	defer func() {
		close(out2)
	}()
	close(s.done)
	close(s.doneCh)
	out <- 1
}

// Quiet: the receiver closes after waiting for the senders.
func All(ctx context.Context, inputs []int) []Result {
	results := make(chan Result, len(inputs))
	var wg syncpkg.WaitGroup
	for _, n := range inputs {
		n := n
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- compute(ctx, n)
		}()
	}
	wg.Wait()
	close(results)
	var all []Result
	for r := range results {
		all = append(all, r)
	}
	return all
}

// Quiet: the closer is the goroutine that waits for the senders.
func Fan(ctx context.Context, inputs []int) <-chan Result {
	results := make(chan Result)
	var wg syncpkg.WaitGroup
	for _, n := range inputs {
		n := n
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- compute(ctx, n)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	return results
}

// Quiet: the close follows a loop that received every result.
func Counted(ctx context.Context, inputs []int) int {
	results := make(chan Result)
	for _, n := range inputs {
		n := n
		go func() { results <- compute(ctx, n) }()
	}
	sum := 0
	for range inputs {
		sum += (<-results).Value
	}
	close(results)
	return sum
}

// Quiet: the goroutines receive, the function sends and closes (the sender closes).
func Feed(ctx context.Context, inputs []int) {
	jobs := make(chan int)
	for i := 0; i < 4; i++ {
		go func() {
			for n := range jobs {
				compute(ctx, n)
			}
		}()
	}
	for _, n := range inputs {
		jobs <- n
	}
	close(jobs)
}

// Quiet: the loop condition tests the flag set after the close.
func Pump(in <-chan int, out chan int) {
	finished := false
	for !finished {
		v, ok := <-in
		if !ok {
			close(out)
			finished = true
			continue
		}
		out <- v
	}
}

// Quiet: the close runs when an equality first holds, or when a countdown reaches zero.
func Saturate(conns <-chan int, saturated chan struct{}, max int) {
	accepted := 0
	for range conns {
		accepted++
		if accepted == max {
			close(saturated)
		}
	}
}

func Greet(frames <-chan interface{}, greet chan struct{}) {
	for f := range frames {
		switch f.(type) {
		case string:
			close(greet)
		}
	}
}

func Connect(ctx context.Context, hosts []string) {
	connected := make(chan struct{})
	left := int64(1)
	for range hosts {
		atomic.AddInt64(&left, 1)
		go func() {
			connected <- struct{}{}
			if atomic.AddInt64(&left, -1) == 0 {
				close(connected)
			}
		}()
	}
	if atomic.AddInt64(&left, -1) == 0 {
		close(connected)
	}
	for range connected {
	}
}

// Quiet: the range over the closed channel ends the loop.
func (s *Server) Dispatch(trigger chan struct{}) {
	for range trigger {
		select {
		case <-s.done:
			close(trigger)
		default:
		}
	}
}

// Positive: an equality test outside the loop does not guard the close inside it.
func Outside(mode int, items []int, out chan int) {
	if mode == 1 {
		for range items {
			close(out) // want `close\(out\) in a loop`
		}
	}
}

// Positive: a switch on a value the loop does not change: the same case every time.
func (s *Server) Serve(conns <-chan int, mode int) {
	for range conns {
		switch mode {
		case 1:
			s.mu.Lock()
			close(s.quit) // want `close\(s.quit\) in a loop`
			s.mu.Unlock()
		}
		if mode == 2 {
			close(s.doneCh) // want `close\(s.doneCh\) in a loop`
		}
	}
}

// Quiet: the block changes what its condition tests (first value seen).
func FirstSeen(values <-chan int, ready chan struct{}) {
	old := -1
	for v := range values {
		if old == -1 {
			old = v
			close(ready)
			continue
		}
	}
}

// Quiet: the receiver waited for the senders through another channel before closing.
func Handoff(ctx context.Context, conns chan int) {
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ {
		i := i
		go func() {
			conns <- i
			errs <- nil
		}()
	}
	for k := 0; k < 2; k++ {
		if err := <-errs; err != nil {
			log.Println(err)
		}
	}
	close(conns)
	for c := range conns {
		compute(ctx, c)
	}
}
