"""Rules whose findings depend on other files of the package (Scope.PACKAGE)."""

from __future__ import annotations

from gobex.config import Config
from gobex.engine import Engine
from gobex.facts import PackageIndex
from gobex.source import SourceFile

PRODUCER = b"""package events

import "github.com/IBM/sarama"

type Publisher struct{ producer sarama.AsyncProducer }

func New(brokers []string) (*Publisher, error) {
	p, err := sarama.NewAsyncProducer(brokers, newConfig())
	if err != nil {
		return nil, err
	}
	return &Publisher{producer: p}, nil
}
"""

CONFIG = b"""package events

import "github.com/IBM/sarama"

func newConfig() *sarama.Config {
	c := sarama.NewConfig()
	c.Producer.Return.Successes = true
	return c
}
"""

DRAIN = b"""package events

import "log"

func (p *Publisher) drain() {
	for err := range p.producer.Errors() {
		log.Println(err)
	}
}
"""


def _kfk001(*files: tuple[str, bytes]) -> list[str]:
    sources = [SourceFile.parse(name, data) for name, data in files]
    engine = Engine(Config(select=("KFK001",)))
    package = PackageIndex.of(sources, engine.models)
    return [f.message for f in engine.lint(sources[0], package).findings]


def test_config_helper_in_another_file_is_followed() -> None:
    messages = _kfk001(("producer.go", PRODUCER), ("config.go", CONFIG))
    assert len(messages) == 2
    assert messages[0].startswith("Errors() of this AsyncProducer is never read")
    assert messages[1].startswith("Successes() of this AsyncProducer is never read")


def test_errors_read_in_another_file_counts() -> None:
    messages = _kfk001(("producer.go", PRODUCER), ("config.go", CONFIG), ("drain.go", DRAIN))
    assert [m.split(" ")[0] for m in messages] == ["Successes()"]


def test_related_location_points_into_the_config_file() -> None:
    sources = [SourceFile.parse("producer.go", PRODUCER), SourceFile.parse("config.go", CONFIG)]
    engine = Engine(Config(select=("KFK001",)))
    findings = engine.lint(sources[0], PackageIndex.of(sources, engine.models)).findings
    successes = next(f for f in findings if f.message.startswith("Successes()"))
    assert successes.related and successes.related[0].path == "config.go"
    related = successes.related[0]
    assert CONFIG[related.start : related.end].startswith(b"c.Producer.Return.Successes = true")
