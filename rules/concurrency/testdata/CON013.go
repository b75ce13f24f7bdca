package orders

import (
	"context"
	"net/http"
	"time"

	ctxpkg "context"
)

type Store interface {
	Get(ctx context.Context, id string) (string, error)
	Save(ctx context.Context, id, v string) error
}

type Service struct {
	store  Store
	client *http.Client
	ctx    context.Context
	cancel context.CancelFunc
	hooks  []func()
}

func render(ctx context.Context, v string) string { return v }

// Positive: a method with a ctx parameter, through a struct field.
func (s *Service) Profile(ctx context.Context, id string) (string, error) {
	v, err := s.store.Get(context.Background(), id) // want `context.Background\(\) while ctx is in scope: the call ignores the caller's cancellation and deadline`
	if err != nil {
		return "", err
	}
	return render(ctx, v), nil
}

// Positive: TODO in a plain function.
func save(ctx context.Context, s Store, id string) error {
	return s.Save(context.TODO(), id, "x") // want `context.TODO\(\) while ctx is in scope`
}

// Positive: an HTTP handler should use r.Context().
func (s *Service) Handle(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://inventory/items", nil) // want `context.Background\(\) while r.Context\(\) is in scope`
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp, err := s.client.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
}

// Positive: an aliased import, and a timeout derived from Background instead of ctx.
func (s *Service) Refresh(ctx context.Context, id string) error {
	tctx, cancel := ctxpkg.WithTimeout(ctxpkg.Background(), time.Second) // want `ctxpkg.Background\(\) while ctx is in scope`
	defer cancel()
	return s.store.Save(tctx, id, "fresh")
}

// Positive: in a closure run while the caller waits (a retry helper's callback).
func retry(attempts int, op func() error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = op(); err == nil {
			return nil
		}
	}
	return err
}

func (s *Service) Load(ctx context.Context, id string) (v string, err error) {
	err = retry(3, func() error {
		v, err = s.store.Get(context.Background(), id) // want `context.Background\(\) while ctx is in scope`
		return err
	})
	return v, err
}

// Positive: split across a helper of the same file; the helper has the context too.
func (s *Service) fetch(ctx context.Context, id string) (string, error) {
	return s.store.Get(ctx, id)
}

func (s *Service) Batch(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if _, err := s.fetch(context.TODO(), id); err != nil { // want `context.TODO\(\) while ctx is in scope`
			return err
		}
	}
	return nil
}

// Positive: a func literal with its own context parameter: its ctx is the one in scope.
func (s *Service) Visit(ids []string, each func(func(ctx context.Context) error) error) error {
	return each(func(ctx context.Context) error {
		_, err := s.store.Get(context.Background(), ids[0]) // want `context.Background\(\) while ctx is in scope`
		return err
	})
}

// Positive: a context derived from the request's, then Background anyway.
func (s *Service) Derived(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	_, _ = s.store.Get(ctx, "a")
	_, _ = s.store.Get(context.Background(), "b") // want `context.Background\(\) while ctx is in scope`
}

// Quiet: no context anywhere in scope.
func (s *Service) Warm() {
	_, _ = s.store.Get(context.Background(), "warm")
}

// Quiet: the func literal has the context, the outer code does not.
func (s *Service) Register(register func(func(ctx context.Context) error)) {
	_, _ = s.store.Get(context.Background(), "boot")
	register(func(ctx context.Context) error {
		_, err := s.store.Get(ctx, "hook")
		return err
	})
}

// Quiet: WithoutCancel keeps the values and detaches from cancellation (Go 1.21).
func (s *Service) Audit(ctx context.Context, id string) {
	go func() {
		_ = s.store.Save(context.WithoutCancel(ctx), id, "audited")
	}()
	_ = s.store.Save(context.WithoutCancel(ctx), id, "seen")
}

// Quiet: a goroutine that outlives the request detaches on purpose.
func (s *Service) Notify(w http.ResponseWriter, r *http.Request) {
	go func() {
		_ = s.store.Save(context.Background(), "n", "sent")
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Quiet: cleanup in a defer must run even when the request was cancelled.
func (s *Service) Reserve(ctx context.Context, id string) (err error) {
	defer func() {
		if err != nil {
			_ = s.store.Save(context.Background(), id, "released")
		}
	}()
	return s.store.Save(ctx, id, "reserved")
}

// Quiet: a shutdown after ctx is done needs a fresh context.
func (s *Service) Serve(ctx context.Context, srv *http.Server) error {
	go func() { _ = srv.ListenAndServe() }()
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// Quiet: the same in the Done case of a select.
func (s *Service) Loop(ctx context.Context, srv *http.Server, tick <-chan time.Time) error {
	for {
		select {
		case <-ctx.Done():
			stop, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			return srv.Shutdown(stop)
		case <-tick:
			_, _ = s.store.Get(ctx, "tick")
		}
	}
}

// Quiet: a cleanup call takes its own context.
func (s *Service) Close(ctx context.Context, srv *http.Server) error {
	_ = s.store.Save(ctx, "state", "closing")
	return srv.Shutdown(context.Background())
}

// Quiet: the value outlives the call: a lifetime context stored in a field.
func (s *Service) Start(ctx context.Context) error {
	s.ctx, s.cancel = context.WithCancel(context.Background())
	_, err := s.store.Get(ctx, "config")
	return err
}

type job struct {
	ctx context.Context
	id  string
}

// Quiet: a job queued for later gets its own context.
func (s *Service) Enqueue(ctx context.Context, queue chan<- job, id string) {
	bg, cancel := context.WithTimeout(context.Background(), time.Minute)
	_ = cancel
	queue <- job{ctx: bg, id: id}
}

// Quiet: a callback that runs later.
func (s *Service) Schedule(ctx context.Context, id string) {
	time.AfterFunc(time.Minute, func() {
		_ = s.store.Save(context.Background(), id, "expired")
	})
	s.hooks = append(s.hooks, func() { _ = s.store.Save(context.Background(), id, "hook") })
}

// Quiet: a sentinel comparison, and a nil default.
func (s *Service) Peek(ctx context.Context, id string) (string, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx != context.Background() {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		default:
		}
	}
	return s.store.Get(ctx, id)
}

// Quiet: the author says why.
func (s *Service) Sign(ctx context.Context, id string) func() error {
	// We cannot hold onto the caller's context: it might have been cancelled already.
	bg := context.Background()
	return func() error { return s.store.Save(bg, id, "signed") }
}

// Quiet: the context is the function's own, not the caller's.
func (s *Service) Poll(opts struct{ Ctx context.Context }) {
	ctx := opts.Ctx
	_, _ = s.store.Get(ctx, "a")
	_, _ = s.store.Get(context.Background(), "b")
}

// Quiet: a client request built here carries no caller context.
func (s *Service) Ping() error {
	req, err := http.NewRequest(http.MethodGet, "http://inventory/ping", nil)
	if err != nil {
		return err
	}
	_, _ = s.store.Get(context.Background(), req.URL.Path)
	return nil
}

// StartDetached runs the sweep detached from the caller's context: it outlives the request.
func (s *Service) StartDetached(ctx context.Context) {
	_ = s.store.Save(context.Background(), "sweep", "started")
}

// Quiet: a closure returned to the caller runs after this call has returned.
func (s *Service) Releaser(ctx context.Context, id string) (func() error, error) {
	if err := s.store.Save(ctx, id, "held"); err != nil {
		return nil, err
	}
	return func() error { return s.store.Save(context.Background(), id, "free") }, nil
}
