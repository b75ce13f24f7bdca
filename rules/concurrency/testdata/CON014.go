package worker

import (
	"context"
	"io"
	"net/http"
	"time"

	ctxpkg "context"

	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"
)

// Positive: a service that keeps the context of whoever built it.
type Fetcher struct {
	ctx    context.Context // want `Fetcher.ctx keeps a context.Context in a struct: it outlives the call it belongs to`
	client *http.Client
}

func NewFetcher(ctx context.Context, client *http.Client) *Fetcher {
	return &Fetcher{ctx: ctx, client: client}
}

func (f *Fetcher) Fetch(url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return f.client.Do(req)
}

// Positive: an aliased import, an exported field, two names on one line.
type Job struct {
	ID            string
	Parent, Child ctxpkg.Context // want `Job.Parent, Child keeps a context.Context`
	Deadline      time.Time
}

// Positive: a generic type; a Close method does not make the context the struct's own.
type Cache[K comparable, V any] struct {
	ctx  context.Context // want `Cache.ctx keeps a context.Context`
	data map[K]V
}

func (c *Cache[K, V]) Close() error { return nil }

// Positive: a type declared inside a function.
func run(ctx context.Context) {
	type state struct {
		ctx context.Context // want `state.ctx keeps a context.Context`
		n   int
	}
	_ = state{ctx: ctx}
}

// Quiet: a context wrapper embeds its parent.
type valueCtx struct {
	context.Context
	key, val any
}

// Quiet: a context implemented by hand keeps its parent in a field.
type detached struct {
	parent context.Context
}

func (d detached) Deadline() (time.Time, bool) { return time.Time{}, false }
func (d detached) Done() <-chan struct{}       { return nil }
func (d detached) Err() error                  { return nil }
func (d detached) Value(key any) any           { return d.parent.Value(key) }

// Quiet: the struct made the context and cancels it: its own lifetime.
type Consumer struct {
	ctx    context.Context
	cancel context.CancelFunc
}

type Poller struct {
	ctx  context.Context
	stop func()
}

// Quiet: an iterator's Next and a reader's Read cannot take a context.
type RowIterator struct {
	ctx  context.Context
	rows []string
}

func (it *RowIterator) Next() (string, error) { return "", it.ctx.Err() }

type bodyReader struct {
	ctx context.Context
	r   io.Reader
}

func (b *bodyReader) Read(p []byte) (int, error) { return b.r.Read(p) }

// Quiet: an oauth2 token source.
type tokenSource struct {
	ctx  context.Context
	conf *oauth2.Config
}

func (t *tokenSource) Token() (*oauth2.Token, error) { return nil, nil }

// Quiet: per-call options and parameter objects.
type pubOpts struct {
	ctx context.Context
	ttl time.Duration
}

type QueryRequest struct {
	Context context.Context
	SQL     string
}

// Quiet: another package's Context, func fields, interfaces.
type Handler struct {
	c     *gin.Context
	run   func(ctx context.Context) error
	ctxFn func() context.Context
}

type Runner interface {
	context.Context
	Run(ctx context.Context) error
}

// Quiet: an anonymous struct (a one-off literal).
var defaults = struct {
	ctx     context.Context
	timeout time.Duration
}{ctx: context.Background(), timeout: time.Second}

// Quiet: a pointer to a context is another defect, not this one.
type holder struct {
	ctx *context.Context
}

// Quiet: the http.Request pattern, a per-call value copied with a new context.
type Query struct {
	stmt    string
	context context.Context
}

func (q *Query) WithContext(ctx context.Context) *Query {
	copied := *q
	copied.context = ctx
	return &copied
}

// Quiet: a driver.Tx: Commit and Rollback take no context.
type wrapTx struct {
	ctx context.Context
	tx  interface{ Commit(context.Context) error }
}

func (t wrapTx) Commit() error { return t.tx.Commit(t.ctx) }

// Positive: a Commit that takes the context itself does not need the field.
type unitOfWork struct {
	ctx context.Context // want `unitOfWork.ctx keeps a context.Context`
}

func (u *unitOfWork) Commit(ctx context.Context) error { return nil }

// Quiet: local types of the same shapes as above.
func derive(parent context.Context) context.Context {
	type withTrace struct {
		context.Context
		traceID string
	}
	return withTrace{Context: parent, traceID: "t"}
}

func spawn(parent context.Context) func() {
	type loop struct {
		ctx    context.Context
		cancel context.CancelFunc
	}
	l := loop{}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l.cancel
}

func call(ctx context.Context) {
	type callOpts struct {
		ctx     context.Context
		retries int
	}
	_ = callOpts{ctx: ctx, retries: 3}
}
