"""The facts layer, one tiny Go snippet per case: what Facts answers about it.

Snippets mark the node a test asks about with a ``/*@name*/`` comment right
before it; `Go.at(name, kind)` returns the node of that kind starting there.
"""

from __future__ import annotations

import textwrap

import pytest
from tree_sitter import Node

from gobex.facts import BindingKind, Facts, PackageIndex, UseKind, flow
from gobex.facts.imports import Imports, default_package_name
from gobex.facts.syntax import enclosing_function
from gobex.facts.syntax import parent as syntax_parent
from gobex.gotypes import BUILTIN, LOCAL, GoType, parse_type_ref
from gobex.models import ModelSet, builtin_models, parse_model
from gobex.source import SourceFile
from tests.test_source import fixture_files

MODELS = builtin_models()


class Go:
    """A snippet (file a.go) with optional sibling files of the same package."""

    def __init__(self, code: str, *siblings: str, models: ModelSet = MODELS) -> None:
        self.source = SourceFile.parse("a.go", textwrap.dedent(code).encode())
        self.siblings = [
            SourceFile.parse(f"sibling{i}.go", textwrap.dedent(s).encode())
            for i, s in enumerate(siblings)
        ]
        self.package = PackageIndex.of([self.source, *self.siblings], models)
        self.facts = Facts(self.source, self.package, models)
        assert not self.source.root.has_error, str(self.source.root)

    def at(self, label: str, kind: str | None = None) -> Node:
        """The node right after ``/*@label*/`` (the largest one of `kind` starting there)."""
        marker = f"/*@{label}*/".encode()
        offset = self.source.data.find(marker)
        assert offset >= 0, f"no marker {marker!r}"
        start = offset + len(marker)
        while self.source.data[start : start + 1] in (b" ", b"\t"):
            start += 1
        node = self.source.root.named_descendant_for_byte_range(start, start + 1)
        assert node is not None
        found = node if kind is None or node.type == kind else None
        while node.parent is not None and node.parent.start_byte == start:
            node = node.parent
            if kind is not None and node.type == kind:
                found = node
        assert found is not None, f"no {kind} at @{label}"
        return found

    def ident(self, label: str) -> Node:
        return self.at(label, "identifier")

    def type_at(self, label: str, kind: str | None = None) -> GoType | None:
        return self.facts.type_of(self.at(label, kind))


def T(package: str, name: str, pointer: bool = False) -> GoType:
    return GoType(package, name, pointer)


# -- imports --------------------------------------------------------------------------


def test_import_aliases_dot_and_blank() -> None:
    go = Go(
        """
        package p

        import (
            sq "database/sql"
            . "github.com/jackc/pgx/v5"
            _ "github.com/lib/pq"
            "net/http"
            pool "github.com/jackc/pgx/v5/pgxpool"
        )
        """
    )
    imports = go.facts.imports
    assert imports.package_of("sq") == "database/sql"
    assert imports.path_of("sq") == "database/sql"
    assert imports.package_of("sql") is None  # only known by its alias here
    assert imports.package_of("http") == "net/http"
    assert imports.package_of("pool") == "pgxpool"
    assert imports.package_of("pq") is None  # blank imports name nothing
    assert imports.dot_packages == ("pgx",)
    assert imports.imports_path("github.com/lib/pq")
    assert imports.name_for("database/sql") == "sq"
    assert imports.name_for("pgxpool") == "pool"
    assert imports.name_for("github.com/lib/pq") is None
    assert imports.name_for("pgx") == "."
    assert imports.names() == {"sq", "http", "pool"}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("github.com/jackc/pgx/v5", "pgx"),
        ("github.com/jackc/pgx/v4/pgxpool", "pgxpool"),
        ("database/sql", "sql"),
        ("net/http", "http"),
        ("gopkg.in/yaml.v3", "yaml"),
        ("gopkg.in/inf.v0", "inf"),
        ("github.com/segmentio/kafka-go", "kafka"),
        ("github.com/mattn/go-sqlite3", "sqlite3"),
        ("github.com/confluentinc/confluent-kafka-go/v2/kafka", "kafka"),
        ("github.com/twmb/franz-go/pkg/kgo", "kgo"),
        ("example.com/thing/v2", "thing"),
        ("github.com/apache/cassandra-gocql-driver/v2", "gocql"),  # the model knows
        ("github.com/IBM/sarama", "sarama"),
    ],
)
def test_default_package_names(path: str, name: str) -> None:
    assert default_package_name(path, MODELS) == name


def test_default_package_name_comes_from_the_model() -> None:
    """A model's `name` beats the path heuristics (kafka-go is package kafka)."""
    models = ModelSet(
        [
            parse_model(
                "test",
                {"id": "kafka-go", "name": "kafka", "paths": ["github.com/segmentio/kafka-go"]},
            ),
            parse_model("test", {"id": "odd", "name": "weird", "paths": ["example.com/lib"]}),
        ]
    )
    assert default_package_name("github.com/segmentio/kafka-go", models) == "kafka"
    assert default_package_name("example.com/lib", models) == "weird"
    go = Go(
        """
        package p

        import "example.com/lib"

        var x = weird.New()
        """,
        models=models,
    )
    assert go.facts.imports.package_of("weird") == "odd"
    assert go.facts.imports.package_of("lib") is None


def test_name_for_prefers_a_named_import_to_a_dot_import() -> None:
    source = SourceFile.parse(
        "a.go", b'package p\n\nimport (\n\t. "errors"\n\tstderrors "errors"\n)\n'
    )
    imports = Imports(source.root, MODELS)
    assert imports.name_for("errors") == "stderrors"
    dotted = Imports(SourceFile.parse("b.go", b'package p\nimport . "errors"\n').root, MODELS)
    assert dotted.name_for("errors") == "."


def test_single_and_repeated_import_declarations() -> None:
    source = SourceFile.parse(
        "a.go",
        b'package p\n\nimport "context"\nimport ctxpkg "context"\nimport `net/http`\n',
    )
    imports = Imports(source.root, MODELS)
    assert imports.package_of("context") == "context"
    assert imports.package_of("ctxpkg") == "context"
    assert imports.package_of("http") == "net/http"
    assert len(imports.declarations) == 3


# -- scope ----------------------------------------------------------------------------


def test_shadowing_in_if_for_switch_select() -> None:
    go = Go(
        """
        package p

        func f(ch chan int, xs []int) {
            x := 1 /*@outer*/
            if x := 2; /*@ifcond*/x > 0 {
                _ = /*@ifbody*/x
            } else {
                _ = /*@ifelse*/x
            }
            for x := 0; /*@forcond*/x < 3; x++ {
                _ = /*@forbody*/x
            }
            for _, x := range xs {
                _ = /*@rangebody*/x
            }
            switch x := 3; /*@switchtag*/x {
            case 3:
                _ = /*@casebody*/x
            }
            select {
            case x := <-ch:
                _ = /*@selectbody*/x
            default:
                _ = /*@selectdefault*/x
            }
            _ = /*@after*/x
        }
        """
    )
    binding = go.facts.binding
    outer = binding(go.ident("after"))
    assert outer is not None
    assert outer.kind == BindingKind.SHORT
    assert outer.ident.start_point[0] == 4  # `x := 1`
    if_x = binding(go.ident("ifcond"))
    assert if_x is not None and if_x is not outer
    assert binding(go.ident("ifbody")) is if_x
    assert binding(go.ident("ifelse")) is if_x  # the init's x is visible in else
    for_x = binding(go.ident("forcond"))
    assert for_x is not None and for_x not in (outer, if_x)
    assert binding(go.ident("forbody")) is for_x
    range_x = binding(go.ident("rangebody"))
    assert range_x is not None and range_x.kind == BindingKind.RANGE
    switch_x = binding(go.ident("switchtag"))
    assert switch_x is not None and switch_x not in (outer, if_x, for_x)
    assert binding(go.ident("casebody")) is switch_x
    received = binding(go.ident("selectbody"))
    assert received is not None and received.kind == BindingKind.RECEIVE
    assert binding(go.ident("selectdefault")) is outer
    # Every inner declaration is its own binding; uses are recorded on the right one.
    assert [u.start_byte for u in outer.uses] == [
        go.ident("selectdefault").start_byte,
        go.ident("after").start_byte,
    ]


def test_type_switch_alias_per_clause() -> None:
    go = Go(
        """
        package p

        import "database/sql"

        func f(v any) {
            switch x := v.(type) {
            case *sql.Rows:
                _ = /*@rows*/x
            case int, string:
                _ = /*@multi*/x
            default:
                _ = /*@default*/x
            }
        }
        """
    )
    rows = go.facts.binding(go.ident("rows"))
    multi = go.facts.binding(go.ident("multi"))
    default = go.facts.binding(go.ident("default"))
    assert rows is not None and multi is not None and default is not None
    assert len({id(rows), id(multi), id(default)}) == 3
    assert rows.kind == BindingKind.TYPESWITCH
    assert go.facts.binding_type(rows) == T("database/sql", "Rows", True)
    # Several types in one clause: the alias has the type of the switched value.
    assert go.facts.binding_type(multi) == T(BUILTIN, "any")


def test_short_var_redeclaration_assigns_the_existing_variable() -> None:
    go = Go(
        """
        package p

        func f() {
            a, err := g()
            b, /*@second*/err := g()
            if c, err := g(); /*@inner*/err != nil {
                _ = c
            }
            _, _ = a, b
            _ = /*@use*/err
        }
        """
    )
    first = go.facts.binding(go.ident("use"))
    assert first is not None and first.ident.start_point[0] == 4
    assert go.facts.binding(go.ident("second")) is first
    assert [a.start_byte for a in first.assignments] == [go.ident("second").start_byte]
    inner = go.facts.binding(go.ident("inner"))
    assert inner is not None and inner is not first


def test_var_scope_starts_after_the_spec() -> None:
    go = Go(
        """
        package p

        func f(x int) {
            {
                var x = /*@init*/x + 1
                _ = /*@after*/x
            }
        }
        """
    )
    param = go.facts.binding(go.ident("init"))
    assert param is not None and param.kind == BindingKind.PARAM
    local = go.facts.binding(go.ident("after"))
    assert local is not None and local.kind == BindingKind.VAR and local is not param


def test_params_receivers_named_results() -> None:
    go = Go(
        """
        package p

        type Repo struct{}

        func (r *Repo) Get(id int, names ...string) (n int, err error) {
            n = /*@id*/id + len(/*@names*/names)
            _ = /*@recv*/r
            return /*@n*/n, /*@err*/err
        }
        """
    )
    facts = go.facts
    assert facts.binding(go.ident("id")).kind == BindingKind.PARAM  # type: ignore[union-attr]
    names = facts.binding(go.ident("names"))
    assert names is not None and facts.binding_type(names) == GoType(
        BUILTIN, "", kind="slice", elem=T(BUILTIN, "string")
    )
    receiver = facts.binding(go.ident("recv"))
    assert receiver is not None and receiver.kind == BindingKind.RECEIVER
    assert facts.binding_type(receiver) == T(LOCAL, "Repo", True)
    n = facts.binding(go.ident("n"))
    assert n is not None and n.kind == BindingKind.RESULT
    assert len(n.assignments) == 1
    err = facts.binding(go.ident("err"))
    assert err is not None and facts.binding_type(err) == T(BUILTIN, "error")


def test_closures_see_outer_variables() -> None:
    go = Go(
        """
        package p

        func f() {
            x := 1
            fn := func(y int) {
                _ = /*@outer*/x + /*@param*/y
                x := 2
                _ = /*@inner*/x
            }
            fn(2)
        }
        """
    )
    outer = go.facts.binding(go.ident("outer"))
    assert outer is not None and outer.function.type == "function_declaration"
    param = go.facts.binding(go.ident("param"))
    assert param is not None and param.function.type == "func_literal"
    inner = go.facts.binding(go.ident("inner"))
    assert inner is not None and inner is not outer and inner.function.type == "func_literal"
    function = go.source.root.named_children[-1]
    assert [b.name for b in go.facts.bindings_in(function)] == ["x", "fn"]
    literal = param.function
    assert [b.name for b in go.facts.bindings_in(literal)] == ["y", "x"]
    assert go.facts.bindings_in(function)[0] is outer


def test_struct_literal_keys_and_labels_are_not_uses() -> None:
    go = Go(
        """
        package p

        type T struct{ rows int }

        func f(rows int, keys map[int]int, k int) {
            _ = T{rows: /*@value*/rows}
            _ = map[int]int{/*@mapkey*/k: 1}
            _ = []string{/*@index*/k0: "a"}
        rows:
            for {
                break rows
            }
        }

        const k0 = 0
        """
    )
    rows = go.facts.binding(go.ident("value"))
    assert rows is not None
    assert [u.start_byte for u in rows.uses] == [go.ident("value").start_byte]
    k = go.facts.binding(go.ident("mapkey"))
    assert k is not None and k.uses == [go.ident("mapkey")]


def test_slice_literal_index_keys_are_uses() -> None:
    go = Go(
        """
        package p

        func f() {
            const first = 0
            _ = []string{/*@key*/first: "a"}
            _ = [...]int{/*@arraykey*/first: 1}
        }
        """
    )
    first = go.facts.binding(go.ident("key"))
    assert first is not None and first.kind == BindingKind.CONST
    assert go.facts.binding(go.ident("arraykey")) is first


# -- types ----------------------------------------------------------------------------


def test_declared_and_inferred_types() -> None:
    go = Go(
        """
        package p

        import (
            "context"
            "database/sql"
            "net/http"

            "github.com/jackc/pgx/v5/pgxpool"
        )

        type Repo struct{ name string }

        var pool *pgxpool.Pool

        func f(ctx context.Context, db *sql.DB, w http.ResponseWriter) {
            var rows *sql.Rows
            _ = /*@rows*/rows
            opened, err := sql.Open("postgres", "")
            _, _ = /*@opened*/opened, /*@err*/err
            repo := &Repo{}
            _ = /*@repo*/repo
            value := Repo{}
            _ = /*@value*/value
            made := new(Repo)
            _ = /*@made*/made
            name := repo.name
            _ = /*@name*/name
            res, _ := http.Get("")
            _ = /*@res*/res
            body := res.Body
            _ = /*@body*/body
            _ = /*@pool*/pool
            _ = /*@ctx*/ctx
            child, cancel := context.WithCancel(ctx)
            _, _ = /*@child*/child, /*@cancel*/cancel
            conv := []byte("x")
            _ = /*@conv*/conv
            s := "text"
            _ = /*@s*/s
            ok := s == "x"
            _ = /*@ok*/ok
        }
        """
    )
    expected = {
        "rows": T("database/sql", "Rows", True),
        "opened": T("database/sql", "DB", True),
        "err": T(BUILTIN, "error"),
        "repo": T(LOCAL, "Repo", True),
        "value": T(LOCAL, "Repo"),
        "made": T(LOCAL, "Repo", True),
        "name": T(BUILTIN, "string"),
        "res": T("net/http", "Response", True),
        "body": T("io", "ReadCloser"),
        "pool": T("pgxpool", "Pool", True),
        "ctx": T("context", "Context"),
        "child": T("context", "Context"),
        "cancel": T("context", "CancelFunc"),
        "conv": GoType(BUILTIN, "", kind="slice", elem=T(BUILTIN, "byte")),
        "s": T(BUILTIN, "string"),
        "ok": T(BUILTIN, "bool"),
    }
    got = {label: go.facts.type_of(go.ident(label)) for label in expected}
    assert got == expected


def test_selector_chain_through_a_field_declared_in_another_file() -> None:
    go = Go(
        """
        package store

        import "context"

        func (r *Repo) Load(ctx context.Context) error {
            rows, err := /*@call*/r.db.Query(ctx, "SELECT 1")
            _ = /*@rows*/rows
            return err
        }
        """,
        """
        package store

        import pg "github.com/jackc/pgx/v5/pgxpool"

        type Repo struct {
            db *pg.Pool
        }
        """,
    )
    call = go.at("call", "call_expression")
    callee = go.facts.callee(call)
    assert callee is not None
    assert callee.package == "pgxpool"
    assert callee.receiver == T("pgxpool", "Pool", True)
    assert callee.is_method("pgxpool", "Pool", "Query")
    assert callee.spec is not None and callee.returns_error
    assert go.facts.result_types(call) == (T("pgx", "Rows"), T(BUILTIN, "error"))
    assert go.facts.type_of(go.ident("rows")) == T("pgx", "Rows")
    assert go.facts.has_tag(go.facts.type_of(go.ident("rows")), "rows")


def test_selector_chain_without_the_other_file_is_unknown() -> None:
    go = Go(
        """
        package store

        import "context"

        func (r *Repo) Load(ctx context.Context) {
            rows, _ := /*@call*/r.db.Query(ctx, "SELECT 1")
            _ = /*@rows*/rows
        }
        """
    )
    callee = go.facts.callee(go.at("call", "call_expression"))
    assert callee is not None and callee.package is None and callee.spec is None
    assert go.facts.type_of(go.ident("rows")) is None


def test_embedded_structs_and_sqlx_embedding_sql() -> None:
    go = Go(
        """
        package p

        import (
            "context"
            "database/sql"

            "github.com/jmoiron/sqlx"
        )

        type base struct{ db *sql.DB }

        type Repo struct {
            *base
            x *sqlx.DB
        }

        type Outer struct{ Repo }

        func (o Outer) f(ctx context.Context) {
            _ = /*@db*/o.db
            rows, _ := /*@embedded*/o.x.QueryContext(ctx, "")
            _ = /*@rows*/rows
            _ = /*@sqlx*/o.x.Select(nil, "")
            _ = /*@method*/o.load()
        }

        func (b *base) load() error { return nil }
        """
    )
    assert go.type_at("db", "selector_expression") == T("database/sql", "DB", True)
    callee = go.facts.callee(go.at("embedded", "call_expression"))
    assert callee is not None and callee.spec is not None
    assert callee.package == "sqlx"
    assert go.facts.type_of(go.ident("rows")) == T("database/sql", "Rows", True)
    sqlx_callee = go.facts.callee(go.at("sqlx", "call_expression"))
    assert sqlx_callee is not None and sqlx_callee.package == "sqlx"
    method = go.facts.callee(go.at("method", "call_expression"))
    assert method is not None and method.package == LOCAL and method.declaration is not None
    assert method.returns_error


def test_local_interface_methods() -> None:
    go = Go(
        """
        package p

        import (
            "context"

            "github.com/jackc/pgx/v5"
        )

        type Querier interface {
            Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
        }

        type Store interface {
            Querier
            Close()
        }

        func f(ctx context.Context, q Querier, s Store) {
            rows, _ := /*@q*/q.Query(ctx, "")
            more, _ := /*@s*/s.Query(ctx, "")
            _, _ = /*@rows*/rows, /*@more*/more
        }
        """
    )
    callee = go.facts.callee(go.at("q", "call_expression"))
    assert callee is not None and callee.package == LOCAL and callee.declaration is not None
    assert callee.returns_error
    assert go.facts.type_of(go.ident("rows")) == T("pgx", "Rows")
    assert go.facts.type_of(go.ident("more")) == T("pgx", "Rows")


def test_types_of_composite_expressions() -> None:
    go = Go(
        """
        package p

        import "database/sql"

        type Rows = sql.Rows
        type Named *sql.DB

        func f(all []*sql.Rows, byName map[string]*sql.DB, ch chan *sql.Rows, v any, n Named) {
            for i, r := range all {
                _, _ = /*@index*/i, /*@elem*/r
            }
            for k, db := range byName {
                _, _ = /*@key*/k, /*@value*/db
            }
            for got := range ch {
                _ = /*@received*/got
            }
            for i := range 10 {
                _ = /*@rangeint*/i
            }
            first := all[0]
            _ = /*@first*/first
            asserted, ok := v.(*sql.Rows)
            _, _ = /*@asserted*/asserted, /*@ok*/ok
            var alias *Rows
            _ = /*@alias*/alias
            _ = /*@named*/n
            x := <-ch
            _ = /*@x*/x
        }
        """
    )
    facts = go.facts
    rows_pointer = T("database/sql", "Rows", True)
    assert facts.type_of(go.ident("index")) == T(BUILTIN, "int")
    assert facts.type_of(go.ident("elem")) == rows_pointer
    assert facts.type_of(go.ident("key")) is None  # map keys are not modelled
    assert facts.type_of(go.ident("value")) == T("database/sql", "DB", True)
    assert facts.type_of(go.ident("received")) == rows_pointer
    assert facts.type_of(go.ident("rangeint")) == T(BUILTIN, "int")
    assert facts.type_of(go.ident("first")) == rows_pointer
    assert facts.type_of(go.ident("asserted")) == rows_pointer
    assert facts.type_of(go.ident("ok")) == T(BUILTIN, "bool")
    assert facts.type_of(go.ident("alias")) == rows_pointer  # through the alias
    assert facts.type_of(go.ident("named")) == T("database/sql", "DB", True)
    assert facts.type_of(go.ident("x")) == rows_pointer


def test_package_variables_in_this_and_other_files() -> None:
    go = Go(
        """
        package p

        import "github.com/jmoiron/sqlx"

        var local = sqlx.MustConnect("postgres", "")

        func f() {
            _ = /*@local*/local
            _ = /*@other*/shared
            _ = /*@typed*/typed
        }
        """,
        """
        package p

        import (
            "database/sql"

            "github.com/jmoiron/sqlx"
        )

        var shared = sqlx.MustConnect("postgres", "")
        var typed *sql.DB
        """,
    )
    assert go.facts.type_of(go.ident("local")) == T("sqlx", "DB", True)
    assert go.facts.type_of(go.ident("other")) == T("sqlx", "DB", True)
    assert go.facts.type_of(go.ident("typed")) == T("database/sql", "DB", True)


# -- callees --------------------------------------------------------------------------


def test_callee_kinds() -> None:
    go = Go(
        """
        package p

        import (
            "context"
            dbsql "database/sql"
            "strings"
        )

        type ID string

        func helper() error { return nil }

        func f(ctx context.Context, fn func() error) {
            _ = /*@model*/dbsql.Open("postgres", "")
            _ = /*@unmodelled*/strings.TrimSpace(" ")
            _ = /*@local*/helper()
            _ = /*@builtin*/len("x")
            _ = /*@conversion*/ID("x")
            _ = /*@funcvalue*/fn()
            _ = /*@unknown*/something.Do()
            _ = /*@pointerconv*/(*ID)(nil)
        }
        """
    )
    facts = go.facts

    def callee(label: str):
        return facts.callee(go.at(label, "call_expression"))

    model = callee("model")
    assert model is not None and model.is_function("database/sql", "Open")
    assert model.spec is not None and model.returns_error
    unmodelled = callee("unmodelled")
    assert unmodelled is not None and unmodelled.package == "strings" and unmodelled.spec is None
    local = callee("local")
    assert local is not None and local.package == LOCAL and local.declaration is not None
    assert local.returns_error
    builtin = callee("builtin")
    assert builtin is not None and builtin.package == BUILTIN
    assert facts.result_types(go.at("builtin", "call_expression")) == (T(BUILTIN, "int"),)
    conversion = callee("conversion")
    assert conversion is not None and conversion.conversion == T(LOCAL, "ID")
    funcvalue = callee("funcvalue")
    assert funcvalue is not None and funcvalue.package is None
    unknown = callee("unknown")
    assert unknown is not None and unknown.package is None and unknown.spec is None
    pointer = callee("pointerconv")
    assert pointer is not None and pointer.conversion == T(LOCAL, "ID", True)


def test_dot_imported_function() -> None:
    go = Go(
        """
        package p

        import . "database/sql"

        func f() {
            db, _ := /*@open*/Open("postgres", "")
            _ = /*@db*/db
        }
        """
    )
    callee = go.facts.callee(go.at("open", "call_expression"))
    assert callee is not None and callee.is_function("database/sql", "Open")
    assert go.facts.type_of(go.ident("db")) == T("database/sql", "DB", True)


def test_shadowed_package_name_is_a_variable() -> None:
    go = Go(
        """
        package p

        import "database/sql"

        type fake struct{}

        func (fake) Open(string, string) {}

        func f() {
            sql := fake{}
            /*@call*/sql.Open("a", "b")
        }
        """
    )
    callee = go.facts.callee(go.at("call", "call_expression"))
    assert callee is not None and callee.package == LOCAL and callee.receiver == T(LOCAL, "fake")


# -- uses and escape ------------------------------------------------------------------

ESCAPES = """
package p

import (
    "context"
    "database/sql"

    "github.com/jackc/pgx/v5"
)

type holder struct{ rows pgx.Rows }

var global pgx.Rows

func keep(r pgx.Rows) {}

func f(
    ctx context.Context, conn *pgx.Conn, h *holder,
    m map[string]pgx.Rows, list []pgx.Rows, ch chan pgx.Rows,
) (pgx.Rows, error) {
    rows, err := conn.Query(ctx, "SELECT 1")
    if err != nil {
        return nil, err
    }
    %s
    return nil, nil
}
"""


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("return rows, nil", UseKind.RETURNED),
        ("h.rows = rows", UseKind.STORED),
        ('m["a"] = rows', UseKind.STORED),
        ("list[0] = rows", UseKind.STORED),
        ("global = rows", UseKind.STORED),
        ("list = append(list, rows)", UseKind.STORED),
        ("_ = holder{rows: rows}", UseKind.STORED),
        ("_ = []pgx.Rows{rows}", UseKind.STORED),
        ("keep(rows)", UseKind.PASSED),
        ("ch <- rows", UseKind.SENT),
        ("p := &rows; _ = p", UseKind.ADDRESS),
        ("other := rows; _ = other", UseKind.ALIASED),
        ("var other = rows; _ = other", UseKind.ALIASED),
        ("other := pgx.Rows(rows); _ = other", UseKind.ALIASED),
        ("_, _ = pgx.CollectRows(rows, nil)", UseKind.CONSUMED),
        ("_ = rows == nil", UseKind.OTHER),
        ("_ = len(list) + len(rows.Values())", UseKind.METHOD_CALL),
        ("_ = rows", UseKind.OTHER),
        ("func() { global = rows }()", UseKind.STORED),
    ],
)
def test_use_classification(statement: str, kind: UseKind) -> None:
    go = Go(ESCAPES % statement)
    function = go.source.root.named_children[-1]
    rows = next(b for b in go.facts.bindings_in(function) if b.name == "rows")
    uses = go.facts.uses(rows)
    assert [u.kind for u in uses] == [kind], statement
    escaped = go.facts.escape(rows)
    if kind in (UseKind.OTHER, UseKind.CONSUMED, UseKind.METHOD_CALL):
        assert escaped is None, statement
    else:
        assert escaped is uses[0], statement


def test_closure_captures_and_outer_variables() -> None:
    go = Go(
        ESCAPES
        % """var outer pgx.Rows
    func() { outer = rows }()
    go func() { rows.Close() }()
    defer func() { rows.Close() }()
    _ = outer"""
    )
    function = go.source.root.named_children[-1]
    rows = next(b for b in go.facts.bindings_in(function) if b.name == "rows")
    uses = go.facts.uses(rows)
    assert [(u.kind, u.in_closure, u.deferred) for u in uses] == [
        (UseKind.ALIASED, True, False),  # another variable of the same function
        (UseKind.METHOD_CALL, True, False),
        (UseKind.METHOD_CALL, True, True),
    ]
    assert go.facts.escape(rows) is uses[0]


def test_value_of_a_closure_stored_in_the_outer_function() -> None:
    """A closure's own value assigned to a variable of the enclosing function
    outlives the closure: a store."""
    go = Go(
        ESCAPES
        % """var outer pgx.Rows
    func() {
        inner, _ := conn.Query(ctx, "")
        outer = inner
    }()
    _, _ = outer, rows"""
    )
    function = go.source.root.named_children[-1]
    literal = next(b for b in go.facts.bindings_in(function) if b.name == "rows").function
    inner = next(b for b in go.facts.resolution(function).bindings if b.name == "inner")
    assert inner.function != literal
    uses = go.facts.uses(inner)
    assert [u.kind for u in uses] == [UseKind.STORED]
    assert not uses[0].in_closure
    assert go.facts.escape(inner) is uses[0]


def test_method_call_paths_and_body_close() -> None:
    go = Go(
        """
        package p

        import (
            "io"
            "net/http"
        )

        func local(r io.Reader) {}

        func f(w io.Writer) error {
            resp, err := http.Get("http://example.com")
            if err != nil {
                return err
            }
            defer resp.Body.Close()
            _, _ = io.Copy(w, resp.Body)
            _ = resp.StatusCode
            return nil
        }

        func g(w io.Writer) {
            resp, _ := http.Get("http://example.com")
            local(resp.Body)
        }
        """
    )
    f = go.source.root.named_children[-2]
    resp = next(b for b in go.facts.bindings_in(f) if b.name == "resp")
    uses = go.facts.uses(resp)
    assert [(u.kind, u.path) for u in uses] == [
        (UseKind.METHOD_CALL, "Body.Close"),
        (UseKind.OTHER, "Body"),  # io.Copy is modelled: it does not keep the reader
        (UseKind.OTHER, "StatusCode"),
    ]
    assert uses[0].deferred
    releases = go.facts.releases(resp)
    assert releases == [uses[0]]
    # A field passed to a function of another package does not move the value...
    assert go.facts.escape(resp) is None
    # ...passed to a function of this package, it may.
    g = go.source.root.named_children[-1]
    resp_g = next(b for b in go.facts.bindings_in(g) if b.name == "resp")
    escaped = go.facts.escape(resp_g)
    assert escaped is not None and escaped.kind == UseKind.PASSED and escaped.path == "Body"


def test_releases_deferred_closure_and_transfer() -> None:
    go = Go(
        """
        package p

        import (
            "context"

            "github.com/jackc/pgx/v5/pgxpool"
        )

        func f(ctx context.Context, pool *pgxpool.Pool) {
            conn, err := pool.Acquire(ctx)
            if err != nil {
                return
            }
            defer func() {
                conn.Release()
            }()
            raw := conn.Hijack()
            _ = raw
        }
        """
    )
    function = go.source.root.named_children[-1]
    conn = next(b for b in go.facts.bindings_in(function) if b.name == "conn")
    releases = go.facts.releases(conn)
    assert [(u.path, u.deferred, u.in_closure) for u in releases] == [
        ("Release", True, True),
        ("Hijack", False, False),
    ]
    assert [u.path for u in go.facts.releases(conn, include_transfer=False)] == ["Release"]


# -- flow and unreleased exits --------------------------------------------------------

LEAK = """
package p

import (
    "context"
    "database/sql"
)

func f(ctx context.Context, db *sql.DB, cond bool, items []int) error {
    rows, err := /*@decl*/db.QueryContext(ctx, "SELECT 1")
    if err != nil {
        return err
    }
    %s
}
"""


def _exit(body: str) -> tuple[Go, Node | None]:
    go = Go(LEAK % textwrap.indent(textwrap.dedent(body).strip(), "    ").lstrip())
    function = go.source.root.named_children[-1]
    rows = next(b for b in go.facts.bindings_in(function) if b.name == "rows")
    declaration = flow.statement_of(go.at("decl", "call_expression"))
    return go, go.facts.unreleased_exit(rows, go.facts.releases(rows), declaration)


@pytest.mark.parametrize(
    "body",
    [
        "defer rows.Close()\nif cond {\n    return nil\n}\nreturn nil",
        "rows.Close()\nreturn nil",
        "for rows.Next() {\n}\nrows.Close()\nreturn rows.Err()",
        "if cond {\n    rows.Close()\n    return nil\n}\nrows.Close()\nreturn nil",
        "defer func() {\n    rows.Close()\n}()\nreturn nil",
        "if cond {\n    return nil\n}\nreturn nil\ndefer rows.Close()",  # unreachable: still
    ],
)
def test_no_unreleased_exit(body: str) -> None:
    go, leak = _exit(body)
    if "return nil\ndefer" in body:
        assert leak is not None and leak.type == "return_statement"
        return
    assert leak is None, go.source.text(leak) if leak is not None else ""


@pytest.mark.parametrize(
    ("body", "leaking_line"),
    [
        # An early return before the close.
        ("if cond {\n    return nil\n}\nrows.Close()\nreturn nil", "return nil"),
        # Closed on one branch only, then the function ends.
        ("if cond {\n    rows.Close()\n}\nreturn nil", "return nil"),
        # A return inside a loop, before the close.
        (
            "for _, i := range items {\n    if i > 0 {\n        return nil\n    }\n}\n"
            "rows.Close()\nreturn nil",
            "return nil",
        ),
        # A return inside a closure is not a way out of this function; the final one is.
        (
            "func() error {\n    return nil\n}()\nif cond {\n    rows.Close()\n}\nreturn nil",
            "return nil",
        ),
    ],
)
def test_unreleased_exit(body: str, leaking_line: str) -> None:
    go, leak = _exit(body)
    assert leak is not None
    assert leak.type == "return_statement"
    function = go.source.root.named_children[-1]
    assert go.source.text(leak) == leaking_line
    assert go.facts.enclosing_function(leak) == function


def test_unreleased_exit_at_the_end_of_a_block() -> None:
    go = Go(
        """
        package p

        import (
            "context"
            "database/sql"
        )

        func f(ctx context.Context, db *sql.DB, ids []int, cond bool) {
            for range ids {
                rows, err := /*@decl*/db.QueryContext(ctx, "SELECT 1")
                if err != nil {
                    continue
                }
                if cond {
                    rows.Close()
                }
            }
        }
        """
    )
    function = go.source.root.named_children[-1]
    rows = next(b for b in go.facts.bindings_in(function) if b.name == "rows")
    declaration = flow.statement_of(go.at("decl", "call_expression"))
    leak = go.facts.unreleased_exit(rows, go.facts.releases(rows), declaration)
    assert leak is not None and leak.type == "}"


def test_dominates() -> None:
    go = Go(
        """
        package p

        func f(cond bool) {
            /*@a*/a()
            if cond {
                /*@b*/b()
            }
            _ = cond && /*@c*/c()
            for {
                /*@d*/d()
                break
            }
            /*@e*/e()
        }
        """
    )
    a, b, c, d, e = (go.at(x, "call_expression") for x in "abcde")
    assert flow.dominates(a, b) and flow.dominates(a, e) and flow.dominates(a, d)
    assert not flow.dominates(b, e)  # conditional
    assert not flow.dominates(c, e)  # right side of &&
    assert not flow.dominates(d, e)  # inside a loop body block
    assert not flow.dominates(e, a)  # after
    assert flow.in_loop(d) is not None and flow.in_loop(a) is None
    assert not flow.is_deferred(a)


# -- context in scope -----------------------------------------------------------------


def test_context_in_scope() -> None:
    go = Go(
        """
        package p

        import (
            "context"
            "net/http"
            "time"
        )

        func withParam(ctx context.Context) {
            /*@param*/use()
            go func() {
                /*@closure*/use()
            }()
            ctx, cancel := context.WithTimeout(/*@reused*/ctx, time.Second)
            defer cancel()
            /*@reassigned*/use()
            {
                ctx, cancel := context.WithTimeout(/*@init*/ctx, time.Second)
                defer cancel()
                /*@local*/use()
            }
        }

        func handler(w http.ResponseWriter, r *http.Request) {
            /*@request*/use()
        }

        func none() {
            /*@none*/use()
        }

        func shadowed(ctx context.Context) {
            {
                ctx := "not a context"
                _ = ctx
                /*@shadowed*/use()
            }
            func() {
                ctx := 42
                _ = ctx
                /*@closureshadow*/use()
            }()
            /*@unshadowed*/use()
        }

        func use() {}
        """
    )
    facts = go.facts

    def ref(label: str):
        return facts.context_in_scope(go.at(label, "call_expression"))

    param = ref("param")
    assert param is not None and param.expression == "ctx" and param.is_parameter
    closure = ref("closure")
    assert closure is not None and closure.binding is param.binding
    # `ctx, cancel :=` in the parameters' block assigns the parameter: no new ctx.
    reassigned = ref("reassigned")
    assert reassigned is not None and reassigned.binding is param.binding
    assert facts.binding(go.ident("reused")) is param.binding
    # In an inner block it declares one, in scope only after the statement.
    init = facts.context_in_scope(go.ident("init"))
    assert init is not None and init.binding is param.binding
    local = ref("local")
    assert local is not None and local.expression == "ctx" and not local.is_parameter
    assert local.binding is not param.binding
    request = ref("request")
    assert request is not None and request.expression == "r.Context()" and request.is_parameter
    assert ref("none") is None
    # `ctx` names a string here: writing `ctx` would not compile.
    assert ref("shadowed") is None
    assert ref("closureshadow") is None  # shadowed by a closure's own variable
    unshadowed = ref("unshadowed")
    assert unshadowed is not None and unshadowed.is_parameter


# -- constants ------------------------------------------------------------------------


def test_const_string() -> None:
    go = Go(
        """
        package p

        const table = "users"
        const query = "SELECT * FROM " + table

        func f(name string) {
            const where = " WHERE id = $1"
            _ = /*@literal*/"a\\tb\\"c"
            _ = /*@raw*/`raw\\n`
            _ = /*@concat*/query + where
            _ = /*@other*/otherFile + "!"
            _ = /*@var*/name + "x"
            _ = /*@long*/"a" + "b" + "c" + "d" + "e" + "f" + "g" + "h" + "i" + "j" + "k" + "l"
            _ = /*@escapes*/"\\x41\\u00e9\\101\\a"
            _ = /*@number*/1 + 2
            _ = /*@paren*/("x" + ("y"))
        }
        """,
        """
        package p

        const otherFile = "sibling"
        """,
    )
    facts = go.facts

    def value(label: str) -> str | None:
        node = go.at(label)
        while node.parent is not None and node.parent.start_byte == node.start_byte:
            if node.parent.type == "expression_list":
                break
            node = node.parent
        return facts.const_string(node)

    assert value("literal") == 'a\tb"c'
    assert value("raw") == "raw\\n"
    assert value("concat") == "SELECT * FROM users WHERE id = $1"
    assert value("other") == "sibling!"
    assert value("var") is None
    assert value("long") == "abcdefghijkl"
    assert value("escapes") == "Aé" + "A" + "\a"
    assert value("number") is None
    assert value("paren") == "xy"
    assert facts.is_constant(go.at("number", "binary_expression"))
    assert not facts.is_constant(go.at("var", "binary_expression"))


def test_enclosing_function_agrees_with_the_syntax_walk() -> None:
    """Facts finds enclosing functions from the root down (walking up is quadratic
    in depth); the answer is the one the parent walk gives, for every node of
    every fixture, and for nodes of a sibling file."""
    checked = 0
    for path in fixture_files():
        if path.suffix != ".go":
            continue
        source = SourceFile.parse(path.name, path.read_bytes())
        sibling = SourceFile.parse("sibling.go", b"package p\n\nfunc g() { _ = func() {} }\n")
        package = PackageIndex.of([source, sibling], MODELS)
        facts = Facts(source, package, MODELS)
        nodes = [source.root]
        for node in nodes:
            nodes.extend(node.children)
        for node in [*nodes[::11], *[n for n in nodes if n.type == "func_literal"]]:
            assert facts.enclosing_function(node) == enclosing_function(node), node
            checked += 1
        literal = sibling.root.named_children[-1]
        for node in (literal, literal.child_by_field_name("body")):
            assert node is not None
            assert facts.enclosing_function(node) == enclosing_function(node)
    assert checked > 500


def test_tracked_parents_are_tree_sitter_parents() -> None:
    """`syntax.parent` (found from the root down, remembered) answers what
    ``Node.parent`` does, for the tracked tree's nodes in any order, and for
    nodes of other trees."""
    other = SourceFile.parse("other.go", b"package q\n\nfunc g() { if x { y() } }\n")
    other_nodes = [other.root]
    for node in other_nodes:
        other_nodes.extend(node.children)
    checked = 0
    for path in fixture_files()[:12]:
        source = SourceFile.parse(path.name, path.read_bytes())
        Facts(source, PackageIndex.of([source], MODELS), MODELS)  # tracks this tree
        nodes = [source.root]
        for node in nodes:
            nodes.extend(node.children)
        # Deepest first, then shallow: both orders of filling the memory.
        for node in [*reversed(nodes[::5]), *nodes[1::5]]:
            assert syntax_parent(node) == node.parent
            checked += 1
        for node in other_nodes:
            assert syntax_parent(node) == node.parent
    assert checked > 1000


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("Rows", GoType("m", "Rows")),
        ("*Conn", GoType("m", "Conn", True)),
        ("pgx.Rows", GoType("pgx", "Rows")),
        ("database/sql/driver.Driver", GoType("database/sql/driver", "Driver")),
        ("error", GoType(BUILTIN, "error")),
        ("[]byte", GoType(BUILTIN, "", kind="slice", elem=GoType(BUILTIN, "byte"))),
        ("[16]byte", GoType(BUILTIN, "", kind="slice", elem=GoType(BUILTIN, "byte"))),
        ("*[]T", GoType(BUILTIN, "", True, kind="slice", elem=GoType("m", "T"))),
        (
            "[]map[string]any",
            GoType(
                BUILTIN,
                "",
                kind="slice",
                elem=GoType(BUILTIN, "", kind="map", elem=GoType(BUILTIN, "any")),
            ),
        ),
        (
            "chan struct{}",
            GoType(BUILTIN, "", kind="chan", elem=GoType(BUILTIN, "", kind="struct")),
        ),
        ("<-chan *Msg", GoType(BUILTIN, "", kind="chan", elem=GoType("m", "Msg", True))),
        ("func(ctx context.Context) error", GoType(BUILTIN, "", kind="func")),
        ("interface{}", GoType(BUILTIN, "", kind="interface")),
    ],
)
def test_model_type_references(ref: str, expected: GoType) -> None:
    assert parse_type_ref(ref, "m") == expected


def test_deeply_nested_type_syntax_is_bounded() -> None:
    go = Go(
        "package p\n\nfunc f() {\n\tvar v "
        + "[]" * 3000
        + "int\n\t_ = /*@v*/v\n\tvar p "
        + "*" * 3000
        + "int\n\t_ = /*@p*/p\n}\n"
    )
    deep = go.facts.type_of(go.ident("v"))
    assert deep is not None and deep.kind == "slice"
    assert go.facts.type_of(go.ident("p")) is None  # past the bound: unknown, no crash
