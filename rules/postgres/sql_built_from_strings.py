"""SQL text is built from non-constant strings.

## What it does
Reports the SQL given to `Query`, `QueryRow`, `Exec`, `Prepare` (and their
`Context` variants), sqlx `Get`, `Select`, `NamedExec`, `Queryx`..., pgx and
pgxpool methods and `pgx.Batch.Queue` when it is built with `fmt.Sprintf`,
`+`, a `strings.Builder`/`bytes.Buffer` or `strings.Join` from a value that
is not a constant: a parameter, a field, a call result. The text is followed
through local variables (and their `+=` appends), package constants and
`sqlx.In`/`Rebind`. Left alone: constants, numbers (`%d`, `strconv.Itoa`,
`int` values), identifiers quoted with `pgx.Identifier{...}.Sanitize()`,
`pq.QuoteIdentifier` or `pq.QuoteLiteral`, placeholders built from those
(`"$" + strconv.Itoa(i)`), local helpers that return only such text, and SQL
that arrives whole as a parameter (it is built elsewhere), values ranged over
from a literal list of constants, and `_test.go` files (tests splice their
own fixed inputs).

## Why is this bad
A value spliced into SQL text is SQL: a name like `x'; DROP TABLE users; --`
or `1 OR 1=1` changes what the statement does. Every such spot is an
injection waiting for the first input that reaches it, and it also defeats
the server's plan cache: each distinct text is parsed and planned again.

## Example
```go
func (r *Repo) ByEmail(ctx context.Context, email string) (*User, error) {
        q := fmt.Sprintf("SELECT id, name FROM users WHERE email = '%s'", email)
        row := r.pool.QueryRow(ctx, q)
        ...
}
```

## Use instead
```go
func (r *Repo) ByEmail(ctx context.Context, email string) (*User, error) {
        row := r.pool.QueryRow(ctx, "SELECT id, name FROM users WHERE email = $1", email)
        ...
}

// Identifiers cannot be arguments: quote them.
q := "SELECT count(*) FROM " + pgx.Identifier{schema, table}.Sanitize()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import text
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.release import callee_label
from .._shared.test_files import is_test_file
from . import SQL_PACKAGES
from ._sql import SQL_CALL_QUERY, sql_argument, trace

RULE = Rule(
    code="PG003",
    name="sql-built-from-strings",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
    query=SQL_CALL_QUERY,
    doc=__doc__ or "",
    scope=Scope.CALLEES,  # local helpers that return SQL are looked into
)

_LABEL_LIMIT = 30


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    call = match["call"]
    argument = sql_argument(ctx.facts, call)
    if argument is None:
        return
    unsafe = trace(ctx.facts, argument, before=call).unsafe_values()
    if not unsafe:
        return
    first = unsafe[0]
    label = callee_label(ctx, call)
    message = (
        f"SQL for {label} is built with {first.how} from `{_short(first.node)}`: "
        "SQL injection; pass values as query arguments"
    )
    related = []
    if not (argument.start_byte <= first.node.start_byte < argument.end_byte):
        related.append(ctx.related(first.node, f"`{_short(first.node)}` is spliced into the SQL"))
    yield ctx.finding(argument, message, related=related)


def _short(node: Node) -> str:
    value = " ".join(text(node).split())
    return value if len(value) <= _LABEL_LIMIT else value[: _LABEL_LIMIT - 1] + "…"
