"""vetcheck: vet a ketamine-therapy provider with a scored, evidence-linked checklist.

The public API, for use without the command line:

    from vetcheck import load_checklist_ref, load_answers, check_answers, score, render_markdown
    checklist = load_checklist_ref(None)                 # the built-in checklist
    answers, warnings = check_answers(load_answers(path), checklist)
    print(render_markdown(score(checklist, answers), date.today()))

Names are imported on first use, so `import vetcheck` stays cheap.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_checklist": "vetcheck.loader",
    "load_checklist_ref": "vetcheck.loader",
    "load_answers": "vetcheck.loader",
    "check_answers": "vetcheck.loader",
    "score": "vetcheck.scoring",
    "compare": "vetcheck.compare",
    "render_markdown": "vetcheck.render.markdown",
    "render_json": "vetcheck.render.json",
    "render_html": "vetcheck.render.html",
    "VetcheckError": "vetcheck.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'vetcheck' has no attribute {name!r}")
