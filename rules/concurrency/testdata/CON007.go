package stats

import (
	"sync"
	"sync/atomic"

	xsync "sync"
)

type Stats struct {
	mu    sync.Mutex
	count map[string]int
}

type Registry struct {
	name  string
	stats Stats // by value: Registry holds a lock too
}

type Counter struct {
	hits atomic.Int64
}

type Guarded struct {
	xsync.RWMutex
	items []string
}

type Shared struct {
	stats *Stats // a pointer: copying Shared copies no lock
	wg    *sync.WaitGroup
}

type Inline struct {
	state struct {
		once sync.Once
	}
}

// Positive: a value receiver.
func (s Stats) Inc(key string) { // want `value receiver s copies a lock: Stats contains sync.Mutex`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count[key]++
}

// Positive: a parameter of a struct holding the lock through a field.
func report(r Registry) string { // want `parameter r copies a lock: Registry contains Stats contains sync.Mutex`
	return r.name
}

// Positive: an atomic counter parameter in a closure; an embedded RWMutex returned.
func snapshot(g *Guarded) Guarded {
	read := func(c Counter) int64 { // want `parameter c copies a lock: Counter contains atomic.Int64`
		return c.hits.Load()
	}
	_ = read
	return *g // want `return copies a lock value: Guarded contains sync.RWMutex`
}

// Positive: range and assignment copies, an inline struct's Once.
func all(list []Registry, in *Inline) int {
	n := 0
	for _, r := range list { // want `range variable r copies a lock: Registry contains Stats`
		n += len(r.name)
	}
	state := *in // want `assignment copies a lock value to state: Inline contains sync.Once`
	_ = state
	return n
}

// Positive: a helper copies a struct field holding the lock.
func (r *Registry) statsCopy() Stats {
	var s = r.stats // want `assignment copies a lock value to s: Stats contains sync.Mutex`
	return s        // want `return copies a lock value: Stats contains sync.Mutex`
}

// Quiet: pointer receivers and pointer parameters.
func (s *Stats) Get(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[key]
}

// Quiet: a struct holding pointers only.
func use(sh Shared) *Stats {
	return sh.stats
}

// Quiet: a composite literal and a call make new values.
func NewStats() Stats {
	s := Stats{count: map[string]int{}}
	_ = s
	return Stats{}
}

// Quiet: ranging by index, taking addresses.
func total(list []Registry) int {
	n := 0
	for i := range list {
		r := &list[i]
		n += len(r.name)
	}
	return n
}
