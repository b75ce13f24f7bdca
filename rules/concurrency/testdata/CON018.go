package server

import (
	"context"
	stdlog "log"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"
)

type Server struct {
	http   *http.Server
	logger *zap.Logger
	log    *logrus.Logger
	std    *stdlog.Logger
}

// Positive: log.Fatal and os.Exit in goroutines of library code.
func (s *Server) Start() {
	go func() {
		if err := s.http.ListenAndServe(); err != nil {
			stdlog.Fatalf("listen: %v", err) // want "stdlog.Fatalf exits the process from a goroutine: no deferred call of any goroutine runs"
		}
	}()
	go func() {
		<-make(chan struct{})
		os.Exit(1) // want "os.Exit exits the process"
	}()
}

// Positive: loggers whose Fatal calls os.Exit, when their types are declared.
func (s *Server) Watch(ctx context.Context) {
	go func() {
		<-ctx.Done()
		s.logger.Fatal("context done") // want "s.logger.Fatal exits the process"
	}()
	go func() {
		s.log.Fatalf("bye %d", 1) // want "s.log.Fatalf exits the process"
		s.std.Fatalln("bye")       // want "s.std.Fatalln exits the process"
	}()
	go func() {
		logrus.Fatal("bye") // want "logrus.Fatal exits the process"
	}()
}

// Positive: a helper that exits, started as a goroutine and from errgroup.
func serve(srv *http.Server) {
	if err := srv.ListenAndServe(); err != nil {
		stdlog.Fatal(err)
	}
}

func Run(ctx context.Context, srv *http.Server) error {
	go serve(srv) // want "serve reaches stdlog.Fatal, which exits the process"
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		serve(srv) // want "serve reaches stdlog.Fatal"
		return nil
	})
	return g.Wait()
}

// Quiet: the goroutine returns the error; Fatal outside a goroutine; Panic runs defers.
func (s *Server) Serve(ctx context.Context) error {
	errs := make(chan error, 1)
	go func() {
		errs <- s.http.ListenAndServe()
	}()
	go func() {
		defer s.http.Close()
		stdlog.Panicf("never")
	}()
	go func() {
		s.logger.Error("only logs")
		stdlog.Printf("only logs")
	}()
	if err := <-errs; err != nil {
		stdlog.Fatal(err)
	}
	return nil
}

// Quiet: a func literal that is never started as a goroutine.
func exitOnError(err error) func() {
	return func() {
		if err != nil {
			os.Exit(2)
		}
	}
}

// Quiet: a signal handler goroutine exits the process on purpose (nats-server's
// trap, after a shutdown).
func (s *Server) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for range c {
			s.http.Close()
			os.Exit(0)
		}
	}()
}

// Quiet: the same, when the goroutine's function registers for the signals
// (ginkgo's interrupt handler).
type interruptHandler struct{ count int }

func newInterruptHandler() *interruptHandler {
	h := &interruptHandler{}
	go h.handleInterrupt()
	return h
}

func (h *interruptHandler) handleInterrupt() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	<-c
	h.count++
	if h.count > 5 {
		os.Exit(1)
	}
	go h.handleInterrupt()
}
