"""vetcheck benchmarks: ratios against baselines measured in the same run.

    python bench/run.py            # full sizes (a few minutes)
    python bench/run.py --quick    # small sizes, for CI

Absolute times on a shared machine are noise, so every figure is a ratio to a baseline taken
in the same run, interleaved with it, keeping the best of several tries:

1. start-up: `vetcheck --version`, `--help` and `report FILE`, each against a minimal Typer
   hello-world app (bench/hello.py) launched the same way. Target <= 1.2x. Compared by
   instruction counts (valgrind's callgrind) when valgrind is installed, which repeat exactly
   on a busy machine; otherwise by CPU time.
2. checklist scale: load + validate a generated 2,000-question checklist, and a report on it,
   against parsing that YAML with PyYAML's C loader. Target <= 2x.
3. subject scale: `compare` over 500 generated answers files and `report` over 1,000, against
   parsing those files with the C loader (target <= 2x); the cost per file at 100, 250 and
   500 files must stay flat: its ratio to parsing may grow at most 1.5x from 100 to 500 files
   (no step grows faster than the number of files).
4. peak memory of each.

Start-up runs vetcheck from a copy laid out as its wheel installs it (checklist snapshots and
bytecode included). Prints a table and exits 1 when a target is missed. `--gate budget` (used by
CI) exits 1 only when a measure exceeds its regression budget: its target, or where CPU time is
too noisy to hold a target exactly, a documented budget just above it. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import gc
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vetcheck.compare import compare  # noqa: E402
from vetcheck.loader import check_answers, load_answers, load_checklist  # noqa: E402
from vetcheck.model import AnswerEntry, Answers, Role, Subject  # noqa: E402
from vetcheck.render.answers import render_answers  # noqa: E402
from vetcheck.render.markdown import render_comparison_markdown, render_markdown  # noqa: E402
from vetcheck.resources import builtin_dir  # noqa: E402
from vetcheck.scoring import score  # noqa: E402
from vetcheck.snapshot import write_all as write_snapshots  # noqa: E402

TODAY = date(2026, 11, 22)
C_LOADER = yaml.CSafeLoader
# The same launcher for both programs: import the module and run its Typer app.
LAUNCH = "import importlib, sys\nimportlib.import_module(sys.argv.pop(1)).app(prog_name='bench')\n"
# Where a measure is CPU time, which varies by a tenth or more between runs of the same program
# on a shared machine, CI holds a budget just above the target instead, so that a regression
# still fails without flaking (docs/performance.md). Instruction counts repeat exactly: start-up
# measured with callgrind is held to its target.
CPU_STARTUP_BUDGET = 1.35
BATCH_BUDGET = 2.4  # target 2.0, met today with little room


@dataclass
class Row:
    name: str
    baseline: str
    ratio: float
    target: float
    ours: float
    base: float
    peak_mb: float
    unit: str = "ms"
    guard: float | None = None  # the CI budget, where it differs from the target

    @property
    def budget(self) -> float:
        return self.target if self.guard is None else max(self.target, self.guard)

    @property
    def meets_target(self) -> bool:
        return self.ratio <= self.target

    @property
    def within_budget(self) -> bool:
        return self.ratio <= self.budget


# --- start-up -------------------------------------------------------------------------------


def installed_copy(folder: Path) -> Path:
    """vetcheck laid out as its wheel installs it: checklists and their snapshots inside the
    package (pyproject.toml, hatch_build.py), and bytecode compiled, as pip does at install."""
    site = folder / "site"
    shutil.copytree(
        ROOT / "vetcheck", site / "vetcheck", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "checklists", site / "vetcheck" / "checklists")
    write_snapshots(ROOT / "checklists", site / "vetcheck" / "checklists")
    compileall.compile_dir(site, quiet=1)
    return site


def _command(module: str, args: list[str], site: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{site}", "NO_COLOR": "1"}
    return [sys.executable, "-c", LAUNCH, module, *args], env


def cpu_run(module: str, args: list[str], site: Path) -> tuple[float, float]:
    """CPU seconds (user + system) and peak RSS in MB of one run, read with wait4."""
    cmd, env = _command(module, args, site)
    proc = subprocess.Popen(
        cmd, env=env, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped above
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def instructions(module: str, args: list[str], site: Path) -> float:
    """Instructions one run executes, counted by callgrind: the same for the same code and input."""
    cmd, env = _command(module, args, site)
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        env=env,
        cwd=site,  # not the source tree: `python -c` puts the current folder first on sys.path
        capture_output=True,
        text=True,
        check=False,
    )
    for line in out.stderr.splitlines():
        if "Collected :" in line:
            return float(line.split(":")[-1])
    raise RuntimeError(f"callgrind gave no count: {out.stderr[-500:]}")


def startup(rows: list[Row], tries: int, use_callgrind: bool, site: Path) -> None:
    # Both programs run from bytecode, as installed packages do: a source checkout under
    # PYTHONDONTWRITEBYTECODE=1 would recompile vetcheck, but not typer, on every run.
    compileall.compile_file(ROOT / "bench" / "hello.py", quiet=1)
    answers = ROOT / "examples" / "risky-telehealth.vetcheck.yaml"
    cases = [
        ("vetcheck --version", ["--version"], ["--version"]),
        ("vetcheck --help", ["--help"], ["--help"]),
        ("vetcheck report FILE", ["report", str(answers)], ["hello"]),
    ]
    for name, args, hello_args in cases:
        ours, base, peak = [], [], 0.0
        for _ in range(tries):  # interleaved, so drift on the machine hits both alike
            base.append(cpu_run("hello", hello_args, site)[0])
            t, mem = cpu_run("vetcheck.cli", args, site)
            ours.append(t)
            peak = max(peak, mem)
        label = f"hello {' '.join(hello_args)}"
        guard = None if use_callgrind else CPU_STARTUP_BUDGET
        if use_callgrind:
            count, base_count = (
                instructions("vetcheck.cli", args, site),
                instructions("hello", hello_args, site),
            )
            ratio, ours_v, base_v, unit = count / base_count, count / 1e6, base_count / 1e6, "Mi"
        else:
            ratio, ours_v, base_v, unit = (
                min(ours) / min(base),
                min(ours) * 1000,
                min(base) * 1000,
                "ms",
            )
        rows.append(Row(name, label, ratio, 1.2, ours_v, base_v, peak, unit, guard))


# --- scale ----------------------------------------------------------------------------------


def best_of(fn: Callable[[], object], tries: int) -> float:
    """Best CPU time of several tries (steadier than wall-clock time on a shared machine)."""
    times = []
    for _ in range(tries):
        gc.collect()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def peak_of(fn: Callable[[], object]) -> float:
    """Peak traced heap in MB while fn runs."""
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def compared(
    name: str,
    fn: Callable[[], object],
    base_fn: Callable[[], object],
    tries: int,
    baseline: str,
    guard: float | None = None,
) -> Row:
    base = best_of(base_fn, tries)
    t = best_of(fn, tries)
    return Row(name, baseline, t / base, 2.0, t * 1000, base * 1000, peak_of(fn), "ms", guard)


def big_checklist(questions: int, folder: Path) -> Path:
    """The built-in checklist's sections and sources, with its questions repeated to `questions`."""
    raw = yaml.load((builtin_dir() / "ketamine-provider.yaml").read_text(), Loader=C_LOADER)
    originals = raw["questions"]
    out = []
    for i in range(questions):
        q = copy.deepcopy(originals[i % len(originals)])  # shared objects would dump as aliases
        if i >= len(originals):
            q["id"] = f"{q['id']}_{i}"
            if q.get("kind") == "choice":  # only the originals drive conditions
                del q["kind"], q["options"]
                q["weight"] = 1
            q.pop("show_if", None)
        out.append(q)
    raw.update(questions=out, id="bench")
    path = folder / "bench-checklist.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=100))
    return path


def answers_files(checklist_path: Path, count: int, folder: Path) -> list[Path]:
    """Filled answers files with varied answers and a few notes, as `vetcheck template` writes them."""
    bank = load_checklist(checklist_path)
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(count):
        values = {"setting": "clinic_iv" if i % 3 else "at_home", "reason": "mood"}
        for j, q in enumerate(bank.questions):
            if q.scored:
                values[q.id] = ("yes", "partly", "no", "unknown")[(i * 7 + j * 3) % 11 % 4]
        entries = {
            k: AnswerEntry(v, "note" if (i + len(k)) % 9 == 0 else None) for k, v in values.items()
        }
        subject = Subject(f"Clinic {i}", "Town", None, TODAY)
        answers = Answers(bank.id, bank.version, bank.content_hash, subject, Role.PATIENT, entries)
        path = folder / f"clinic-{i:04d}.yaml"
        path.write_text(render_answers(bank, answers))
        paths.append(path)
    return paths


def checklist_scale(rows: list[Row], size: int, tries: int, folder: Path) -> None:
    path = big_checklist(size, folder)
    answers_path = answers_files(path, 1, folder / "one")[0]

    def parse() -> object:
        return yaml.load(path.read_text(), Loader=C_LOADER)

    def load() -> object:
        return load_checklist(path)

    def report() -> object:
        bank = load_checklist(path)
        answers, _ = check_answers(load_answers(answers_path), bank)
        return render_markdown(score(bank, answers), TODAY)

    rows.append(
        compared(
            f"load + validate {size}-question checklist", load, parse, tries, "C-loader parse of it"
        )
    )
    rows.append(
        compared(
            f"report on {size}-question checklist", report, parse, tries, "C-loader parse of it"
        )
    )


def subject_scale(
    rows: list[Row], counts: list[int], report_count: int, tries: int, folder: Path
) -> list[str]:
    checklist_path = builtin_dir() / "ketamine-provider.yaml"
    bank = load_checklist(checklist_path)
    files = answers_files(checklist_path, max(max(counts), report_count), folder / "subjects")

    def parse(paths: list[Path]) -> Callable[[], object]:
        return lambda: [yaml.load(p.read_text(), Loader=C_LOADER) for p in paths]

    def do_compare(paths: list[Path]) -> Callable[[], object]:
        def run() -> object:
            loaded = [check_answers(load_answers(p), bank)[0] for p in paths]
            return render_comparison_markdown(compare(bank, loaded), TODAY)

        return run

    per_file: dict[int, float] = {}
    ratios: dict[int, float] = {}
    for n in counts:
        row = compared(
            f"compare {n} files",
            do_compare(files[:n]),
            parse(files[:n]),
            tries,
            "C-loader parse of them",
            BATCH_BUDGET,
        )
        per_file[n] = row.ours / n
        ratios[n] = row.ratio
        rows.append(row)
    small, large = counts[0], counts[-1]
    # Growth of our cost per file relative to parsing's, which is linear: a quadratic step would
    # show here, while noise that hits both interleaved measurements cancels out.
    rows.append(
        Row(
            f"compare: cost per file at {large} vs {small}",
            "same, relative to parsing",
            ratios[large] / ratios[small],
            1.5,
            per_file[large],
            per_file[small],
            0.0,
        )
    )

    subset = files[:report_count]

    def do_reports() -> object:
        return [
            render_markdown(score(bank, check_answers(load_answers(p), bank)[0]), TODAY)
            for p in subset
        ]

    rows.append(
        compared(
            f"report on {report_count} files",
            do_reports,
            parse(subset),
            max(2, tries - 1),
            "C-loader parse of them",
            BATCH_BUDGET,
        )
    )
    return [
        "compare cost per file: " + ", ".join(f"{n} files {per_file[n]:.2f} ms" for n in counts)
    ]


# --- report ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    parser.add_argument(
        "--gate",
        choices=["target", "budget"],
        default="target",
        help="exit 1 when a measure misses its target (default), or only when it exceeds its regression budget (CI)",
    )
    parser.add_argument(
        "--no-callgrind",
        action="store_true",
        help="compare start-up by CPU time even if valgrind is installed",
    )
    args = parser.parse_args()
    quick = args.quick
    use_callgrind = not args.no_callgrind and shutil.which("valgrind") is not None
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = installed_copy(folder)
        startup(rows, 2 if use_callgrind else (7 if quick else 15), use_callgrind, site)
        checklist_scale(rows, 500 if quick else 2000, 7 if quick else 5, folder)
        notes = subject_scale(
            rows,
            [50, 100, 200] if quick else [100, 250, 500],
            200 if quick else 1000,
            7 if quick else 3,  # more tries where runs are short: one quiet try is enough
            folder,
        )

    print(
        f"vetcheck benchmark ({'quick' if quick else 'full'}): {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    )
    how = (
        "instructions counted by callgrind (Mi = millions)"
        if use_callgrind
        else "CPU time, best of interleaved runs"
    )
    print(f"start-up compared by {how}; scale by CPU ms, best of several runs")
    print("peak MB: max RSS of the process (start-up) or peak traced heap (scale)")
    print()
    width = max(len(r.name) for r in rows)
    print(
        f"{'measure':<{width}}  {'ratio':>5}  {'target':>6}  {'budget':>6}  {'ours':>10}  {'baseline':>10}  {'peak MB':>7}  baseline"
    )
    for r in rows:
        flag = (
            ""
            if r.meets_target
            else ("  (target missed)" if r.within_budget else "  <-- OVER BUDGET")
        )
        peak = f"{r.peak_mb:7.1f}" if r.peak_mb else " " * 7
        print(
            f"{r.name:<{width}}  {r.ratio:5.2f}  {r.target:6.2f}  {r.budget:6.2f}  {r.ours:7.1f} {r.unit:<2}"
            f"  {r.base:7.1f} {r.unit:<2}  {peak}  {r.baseline}{flag}"
        )
    for note in notes:
        print(note)
    missed = [r for r in rows if not r.meets_target]
    over = [r for r in rows if not r.within_budget]
    print()
    print(f"targets met: {len(rows) - len(missed)} of {len(rows)}; over budget: {len(over)}")
    return 1 if (over if args.gate == "budget" else missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
