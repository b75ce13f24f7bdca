//go:build !go1.9
// +build !go1.9

package stats

import "sync"

type cacher struct{}

// Quiet: this file's own cacher, not the one with a sync.Map below go1.9's build tag.
func (c cacher) Load(key string) (string, bool) {
	return "", false
}

type other struct {
	m sync.Map
}

// Quiet: *p of a **other is a pointer.
func load(p **other) *other {
	v := *p
	return v
}

// Positive: a value receiver of a type holding a sync.Map.
func (o other) Len() int { // want `value receiver o copies a lock: other contains sync.Map`
	return 0
}
