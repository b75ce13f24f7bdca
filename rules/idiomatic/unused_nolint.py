"""A `//nolint` directive names a gobex rule that reports nothing there.

## What it does
Reports `//nolint:CODE` (or `//nolint:name`) comments naming a gobex rule that
ran on the file but had nothing to report on the lines the comment covers.
`//nolint`, `//nolint:all` and `//nolint:gobex` are left alone (they may be for
other linters), and so are names of other linters.

## Why is this bad
A stale suppression hides the next real finding on that line: the code changes,
the defect comes back, and nobody is told. It also teaches readers that the
line was once dangerous when it no longer is.

## Example
```go
rows, err := db.QueryContext(ctx, q) //nolint:PG001 // closed by the caller
defer rows.Close()
```

## Use instead
```go
rows, err := db.QueryContext(ctx, q)
defer rows.Close()
```
"""

from gobex.finding import Severity
from gobex.rule import Rule

# The engine implements this rule (it needs the results of every other rule), so
# it has no query and no check function of its own.
RULE = Rule(
    code="IDM001",
    name="unused-nolint",
    severity=Severity.INFO,
    query="",
    doc=__doc__ or "",
    fixable=True,
)
