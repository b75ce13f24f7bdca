"""Rule pages: the Markdown shown by `gobex explain`, hover, and docs/rules/."""

from __future__ import annotations

from gobex.rule import Group, Rule

DOCS_URL = "https://github.com/gobex-dev/gobex/blob/main/docs/rules/{code}.md"


def rule_url(rule: Rule, base: str = DOCS_URL) -> str:
    return base.format(code=rule.code, name=rule.name)


def rule_page(rule: Rule) -> str:
    """The rule's page in Markdown: title, facts line, then the docstring sections."""
    lines = rule.doc.strip().splitlines()
    body = "\n".join(lines[1:]).strip()
    fix = "yes" if rule.fixable else "no"
    versions = []
    if rule.min_go is not None:
        versions.append(f"Go >= 1.{rule.min_go}")
    if rule.max_go is not None:
        versions.append(f"Go < 1.{rule.max_go}")
    facts = (
        f"*{rule.area}* · severity **{rule.severity.value}** · fix: {fix}"
        + (" · **preview**" if rule.group is Group.PREVIEW else "")
        + (f" · applies to {', '.join(versions)}" if versions else "")
    )
    return f"# {rule.code} {rule.name}\n\n{rule.summary}\n\n{facts}\n\n{body}\n"


def rule_record(rule: Rule) -> dict[str, object]:
    """The JSON form listed by `gobex rules --format json`."""
    return {
        "code": rule.code,
        "name": rule.name,
        "area": rule.area,
        "severity": rule.severity.value,
        "group": rule.group.value,
        "fixable": rule.fixable,
        "packages": list(rule.packages),
        "summary": rule.summary,
        "url": rule_url(rule),
    }
