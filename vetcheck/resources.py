"""Find the built-in checklists, inside the installed package or beside it in a source tree."""

from __future__ import annotations

from pathlib import Path

from vetcheck.errors import UsageError

DEFAULT_CHECKLIST = "ketamine-provider"
DEFAULT_CLAIM_RULES = "ketamine-claims"

_HERE = Path(__file__).resolve().parent


def builtin_dir() -> Path:
    # The wheel ships checklists/ inside the package; a source checkout keeps it at the top.
    inside = _HERE / "checklists"
    return inside if inside.is_dir() else _HERE.parent / "checklists"


def builtin_ids() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def checklist_path(ref: str | None) -> Path:
    """A built-in checklist id, or a path to a checklist file, as a path."""
    ref = ref or DEFAULT_CHECKLIST
    candidate = Path(ref)
    builtin = builtin_dir() / f"{ref}.yaml"
    # A built-in id always means the built-in checklist, even beside a file of that name (a
    # modified copy must never pass for it); such a file is reached as ./NAME.
    if "/" not in ref and not candidate.suffix and builtin.is_file():
        return builtin
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists() or "/" in ref:
        return candidate
    known = ", ".join(builtin_ids()) or "none installed"
    raise UsageError(
        f"no built-in checklist '{ref}' (built in: {known}); give an id or the path of a .yaml file"
    )


def checklist_ref_for(checklist_id: str, answers_path: str) -> str:
    """The built-in checklist an answers file names, or a usage error saying what to pass."""
    if checklist_id in builtin_ids():
        return checklist_id
    raise UsageError(
        f"{answers_path}: its checklist '{checklist_id}' is not built in; pass --checklist PATH to its file"
    )


def claim_rules_path(ref: str | None) -> Path:
    """Built-in claim rules by id (in checklists/claims/), or a path to a rules file."""
    ref = ref or DEFAULT_CLAIM_RULES
    builtin = builtin_dir() / "claims" / f"{ref}.yaml"
    if "/" not in ref and not Path(ref).suffix and builtin.is_file():
        return builtin
    if Path(ref).suffix in {".yaml", ".yml"} or "/" in ref or Path(ref).exists():
        return Path(ref)
    raise UsageError(
        f"no built-in claim rules '{ref}' (built in: {DEFAULT_CLAIM_RULES}); give an id or the path of a .yaml file"
    )
