"""A problem found in the data is a value: collected, sorted and rendered, never raised."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    severity: str
    rule: str
    message: str
    hint: str = ""

    def text(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.column}: {self.severity} {self.rule}: {self.message}{hint}"

    def as_dict(self) -> dict:
        message = f"{self.message} ({self.hint})" if self.hint else self.message
        return {"path": self.path, "line": self.line, "column": self.column,
                "severity": self.severity, "rule": self.rule, "message": message}


@dataclass
class LintResult:
    """What a lint run found: its problems, sorted, and how many files it checked."""

    problems: list[Problem]
    files: int

    @property
    def errors(self) -> int:
        return sum(p.severity == ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == WARNING for p in self.problems)

    def summary(self) -> dict:
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings}


class UsageError(Exception):
    """A mistake in how the tool was called: the CLI prints it on one line and exits 2."""
