// Command ordersd runs the orders service: the public HTTP API, an admin
// listener for health checks, and the background workers.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gocql/gocql"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/sync/errgroup"

	"github.com/gobex-dev/orders-example/internal/api"
	"github.com/gobex-dev/orders-example/internal/audit"
	"github.com/gobex-dev/orders-example/internal/events"
	"github.com/gobex-dev/orders-example/internal/payments"
	"github.com/gobex-dev/orders-example/internal/postgres"
	"github.com/gobex-dev/orders-example/internal/timeline"
	"github.com/gobex-dev/orders-example/internal/worker"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(logger); err != nil {
		logger.Error("ordersd stopped", "err", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	pool, err := pgxpool.New(ctx, cfg.PostgresURL)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer pool.Close()

	crm, err := sql.Open("pgx", cfg.CRMURL)
	if err != nil {
		return fmt.Errorf("crm database: %w", err)
	}
	defer crm.Close()
	crm.SetMaxOpenConns(8)
	crm.SetMaxIdleConns(4)
	crm.SetConnMaxLifetime(30 * time.Minute)

	cluster := gocql.NewCluster(cfg.CassandraHosts...)
	cluster.Keyspace = "orders"
	cluster.Consistency = gocql.LocalQuorum
	cluster.Timeout = 2 * time.Second
	session, err := cluster.CreateSession()
	if err != nil {
		return fmt.Errorf("cassandra: %w", err)
	}
	defer session.Close()

	publisher, err := events.NewPublisher(cfg.KafkaBrokers, "order-events", logger)
	if err != nil {
		return err
	}
	defer publisher.Close()

	auditLog, err := audit.NewLog(cfg.KafkaBrokers, "audit")
	if err != nil {
		return err
	}
	defer func() {
		if err := auditLog.Close(); err != nil {
			logger.Error("audit log not flushed", "err", err)
		}
	}()

	repo := postgres.NewOrderRepo(pool)
	paymentsClient := payments.NewClient(cfg.PaymentsURL, cfg.PaymentsKey)
	handler := &api.Handler{
		Orders:        repo,
		Customers:     postgres.NewCustomerStore(crm),
		Timeline:      timeline.NewStore(session),
		Events:        publisher,
		Payments:      paymentsClient,
		Audit:         auditLog,
		Log:           logger,
		ChargeTimeout: 8 * time.Second,
	}
	runner := &worker.Runner{
		Log: logger,
		Jobs: []worker.Job{
			{Name: "expire", Every: time.Minute, Run: (&worker.Expirer{
				Orders: repo, MaxAge: 24 * time.Hour, Batch: 500, Timeout: 30 * time.Second,
			}).RunOnce},
			{Name: "reconcile", Every: 5 * time.Minute, Run: (&worker.Reconciler{
				Orders: repo, Payments: paymentsClient, Log: logger,
				Parallel: 4, OlderThan: 10 * time.Minute, PerOrder: 5 * time.Second, BatchLimit: 200,
			}).RunOnce},
		},
	}

	public := api.NewServer(cfg.Addr, handler.Routes())
	admin := &http.Server{
		Addr:              cfg.AdminAddr,
		Handler:           adminRoutes(pool),
		ReadHeaderTimeout: 5 * time.Second,
	}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return serve(public) })
	g.Go(func() error { return serve(admin) })
	g.Go(func() error {
		runner.Run(gctx)
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		return errors.Join(public.Shutdown(shutdownCtx), admin.Shutdown(shutdownCtx))
	})
	go func() {
		// net/http/pprof registers on http.DefaultServeMux. Loopback only: the
		// missing timeouts matter little when only local processes can connect.
		if err := http.ListenAndServe("localhost:6060", nil); err != nil {
			logger.Warn("pprof listener stopped", "err", err)
		}
	}()
	return g.Wait()
}

// serve runs srv until Shutdown.
func serve(srv *http.Server) error {
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("listen on %s: %w", srv.Addr, err)
	}
	return nil
}

// adminRoutes serves the load balancer's health check.
func adminRoutes(pool *pgxpool.Pool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), time.Second)
		defer cancel()
		if err := pool.Ping(ctx); err != nil {
			http.Error(w, "postgres unreachable", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}
