package store

import (
	"time"

	"github.com/gocql/gocql"
)

func NewSession(hosts []string, keyspace string) (*gocql.Session, error) {
	cluster := gocql.NewCluster(hosts...) // want "cluster config creates a session without a token-aware host policy, a RetryPolicy or an explicit Consistency"
	cluster.Keyspace = keyspace
	cluster.Timeout = 2 * time.Second
	return cluster.CreateSession()
}

func roundRobin(hosts []string) (*gocql.Session, error) {
	cfg := gocql.NewCluster(hosts...) // want "without a token-aware host policy$"
	cfg.PoolConfig.HostSelectionPolicy = gocql.DCAwareRoundRobinPolicy("dc1")
	cfg.RetryPolicy = &gocql.SimpleRetryPolicy{NumRetries: 3}
	cfg.Consistency = gocql.LocalQuorum
	return gocql.NewSession(*cfg)
}

func literal(hosts []string) (*gocql.Session, error) {
	cfg := &gocql.ClusterConfig{ // want "without a RetryPolicy$"
		Hosts:       hosts,
		Consistency: gocql.LocalQuorum,
		PoolConfig:  gocql.PoolConfig{HostSelectionPolicy: gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy())},
	}
	return cfg.CreateSession()
}

func inline(host string) (*gocql.Session, error) {
	return gocql.NewCluster(host).CreateSession() // want "without a token-aware host policy, a RetryPolicy or an explicit Consistency"
}

func sessionConsistency(hosts []string) (*gocql.Session, error) {
	cluster := gocql.NewCluster(hosts...) // want "without a token-aware host policy or a RetryPolicy$"
	session, err := cluster.CreateSession()
	if err != nil {
		return nil, err
	}
	session.SetConsistency(gocql.LocalOne)
	return session, nil
}

// Quiet: everything the rule asks for is set.
func production(hosts []string, dc string) (*gocql.Session, error) {
	cluster := gocql.NewCluster(hosts...)
	cluster.Consistency = gocql.LocalQuorum
	cluster.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(gocql.DCAwareRoundRobinPolicy(dc))
	cluster.RetryPolicy = &gocql.ExponentialBackoffRetryPolicy{NumRetries: 3, Min: 100 * time.Millisecond, Max: time.Second}
	return cluster.CreateSession()
}

// Quiet: settings from elsewhere count as set.
func configured(hosts []string, policy gocql.HostSelectionPolicy, retry gocql.RetryPolicy, c gocql.Consistency) (*gocql.Session, error) {
	cluster := gocql.NewCluster(hosts...)
	cluster.PoolConfig.HostSelectionPolicy = policy
	cluster.RetryPolicy = retry
	cluster.Consistency = c
	return cluster.CreateSession()
}

// Quiet: a helper may set the rest.
func withTLS(hosts []string) (*gocql.Session, error) {
	cluster := gocql.NewCluster(hosts...)
	applyTLS(cluster)
	return cluster.CreateSession()
}

func applyTLS(cluster *gocql.ClusterConfig) {
	cluster.SslOpts = &gocql.SslOptions{EnableHostVerification: true}
}

// Quiet: the config is returned; the caller decides.
func newCluster(hosts []string) *gocql.ClusterConfig {
	cluster := gocql.NewCluster(hosts...)
	cluster.Keyspace = "shop"
	return cluster
}
