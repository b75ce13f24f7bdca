package store

import (
	cql "github.com/apache/cassandra-gocql-driver/v2"
)

func pair(hosts []string) (*cql.ClusterConfig, *cql.ClusterConfig) {
	policy := cql.TokenAwareHostPolicy(cql.RoundRobinHostPolicy())
	a := cql.NewCluster(hosts...)
	a.PoolConfig.HostSelectionPolicy = policy
	b := cql.NewCluster(hosts...)
	b.PoolConfig.HostSelectionPolicy = policy // want "\\(set twice\\)"
	return a, b
}
