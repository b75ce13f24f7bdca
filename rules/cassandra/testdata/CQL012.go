package store

import (
	"github.com/gocql/gocql"
)

type DC struct {
	Name  string
	Hosts []string
}

var defaultPolicy = gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy())

func perDC(dcs []DC) ([]*gocql.Session, error) {
	policy := gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy())
	var sessions []*gocql.Session
	for _, dc := range dcs {
		cfg := gocql.NewCluster(dc.Hosts...)
		cfg.PoolConfig.HostSelectionPolicy = policy // want "host selection policy policy is given to more than one cluster config \\(set inside a loop\\)"
		s, err := cfg.CreateSession()
		if err != nil {
			return nil, err
		}
		sessions = append(sessions, s)
	}
	return sessions, nil
}

func readWrite(hosts []string) (*gocql.Session, *gocql.Session, error) {
	policy := gocql.TokenAwareHostPolicy(gocql.DCAwareRoundRobinPolicy("dc1"))
	reads := gocql.NewCluster(hosts...)
	reads.PoolConfig.HostSelectionPolicy = policy
	writes := &gocql.ClusterConfig{
		Hosts:      hosts,
		PoolConfig: gocql.PoolConfig{HostSelectionPolicy: policy}, // want "\\(set twice\\)"
	}
	r, err := reads.CreateSession()
	if err != nil {
		return nil, nil, err
	}
	w, err := writes.CreateSession()
	return r, w, err
}

func tenants(names []string) []*gocql.ClusterConfig {
	var out []*gocql.ClusterConfig
	for _, name := range names {
		cfg := gocql.NewCluster("cassandra")
		cfg.Keyspace = name
		cfg.PoolConfig.HostSelectionPolicy = defaultPolicy // want "host selection policy defaultPolicy"
		out = append(out, cfg)
	}
	return out
}

// Quiet: a policy per config.
func perDCFresh(dcs []DC) []*gocql.ClusterConfig {
	var out []*gocql.ClusterConfig
	for _, dc := range dcs {
		policy := gocql.TokenAwareHostPolicy(gocql.DCAwareRoundRobinPolicy(dc.Name))
		cfg := gocql.NewCluster(dc.Hosts...)
		cfg.PoolConfig.HostSelectionPolicy = policy
		out = append(out, cfg)
	}
	return out
}

// Quiet: one config, one policy.
func single(hosts []string) (*gocql.Session, error) {
	policy := gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy())
	cfg := gocql.NewCluster(hosts...)
	cfg.PoolConfig.HostSelectionPolicy = policy
	return cfg.CreateSession()
}

// Quiet: the policy is made again in the loop.
func remade(dcs []DC) []*gocql.ClusterConfig {
	var out []*gocql.ClusterConfig
	var policy gocql.HostSelectionPolicy
	for _, dc := range dcs {
		policy = gocql.TokenAwareHostPolicy(gocql.DCAwareRoundRobinPolicy(dc.Name))
		cfg := gocql.NewCluster(dc.Hosts...)
		cfg.PoolConfig = gocql.PoolConfig{HostSelectionPolicy: policy}
		out = append(out, cfg)
	}
	return out
}
