"""vetcheck benchmarks: ratios against baselines measured in the same run.

    python bench/run.py            # full sizes (about 8 minutes)
    python bench/run.py --quick    # small sizes, for CI (about 2 minutes)

Absolute times on a shared machine are noise, so every figure is a ratio to a baseline taken
in the same run. Ratios are of instruction counts (valgrind's callgrind) when valgrind is
installed: they repeat on a busy machine, where CPU time of the same work was seen to vary by
2x within one run. CPU time (best of interleaved tries) is shown beside them, and is the ratio
used when valgrind is absent.

1. start-up: `vetcheck --version`, `--help` and `report FILE`, each against a minimal Typer
   hello-world app (bench/hello.py) launched the same way. Target <= 1.2x.
2. checklist scale: load + validate a generated 2,000-question checklist, and a report on it,
   against parsing that YAML with PyYAML's C loader. Target <= 2x.
3. subject scale: `compare` over 500 generated answers files and `report` over 1,000, against
   parsing those files with the C loader (target <= 2x); the cost per file at 100, 250 and
   500 files must stay flat: its ratio to parsing may grow at most 1.5x from 100 to 500 files
   (no step grows faster than the number of files).
4. peak memory of each.

Start-up runs vetcheck from a copy laid out as its wheel installs it (checklist snapshots and
bytecode included). Scale work is counted in a child process (`--worker`) that runs exactly the
work timed here, less the count of the same child doing only its setup. Prints a table and exits
1 when a target is missed. `--gate budget` (used by CI) exits 1 only when a measure exceeds its
regression budget: its target, or for a CPU-time ratio (too noisy to hold to a target) a
documented budget just above it. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vetcheck.compare import compare  # noqa: E402
from vetcheck.loader import check_answers, load_answers, load_checklist  # noqa: E402
from vetcheck.model import AnswerEntry, Answers, Checklist, Role, Subject  # noqa: E402
from vetcheck.render.answers import render_answers  # noqa: E402
from vetcheck.render.markdown import render_comparison_markdown, render_markdown  # noqa: E402
from vetcheck.resources import builtin_dir  # noqa: E402
from vetcheck.scoring import score  # noqa: E402

TODAY = date(2026, 11, 22)
C_LOADER = yaml.CSafeLoader
# The same launcher for both programs: import the module and run its Typer app.
LAUNCH = "import importlib, sys\nimportlib.import_module(sys.argv.pop(1)).app(prog_name='bench')\n"
# Where a ratio is of CPU time (no valgrind), which varies between runs of the same program on
# a shared machine, CI holds a budget above the target instead, so that a regression still
# fails without flaking (docs/performance.md). Instruction counts are held to their targets.
CPU_STARTUP_BUDGET = 1.35
BATCH_BUDGET = 2.4


@dataclass
class Row:
    name: str
    baseline: str
    target: float
    ours: float  # in `unit`
    base: float
    peak_mb: float
    unit: str  # "Mi" (millions of instructions) or "ms" (CPU time)
    cpu_ratio: float | None = None  # CPU time ratio, shown beside an instruction-count ratio
    guard: float | None = None  # the CI budget, where it differs from the target
    ratio_override: float | None = None  # for a ratio of ratios

    @property
    def ratio(self) -> float:
        return self.ratio_override if self.ratio_override is not None else self.ours / self.base

    @property
    def budget(self) -> float:
        return self.target if self.guard is None else max(self.target, self.guard)

    @property
    def meets_target(self) -> bool:
        return self.ratio <= self.target

    @property
    def within_budget(self) -> bool:
        return self.ratio <= self.budget


def callgrind(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    """Instructions one run executes: the same for the same code, input and hash seed."""
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        env={**env, "PYTHONHASHSEED": "0"},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in out.stderr.splitlines():
        if "Collected :" in line:
            return float(line.split(":")[-1])
    raise RuntimeError(f"callgrind gave no count: {out.stderr[-500:]}")


def count_all(jobs: list[tuple[list[str], dict[str, str]]], cwd: Path) -> list[float]:
    """The instruction counts of several command lines, run a core each."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(lambda job: callgrind(*job, cwd), jobs))


# --- start-up -------------------------------------------------------------------------------


def installed_copy(folder: Path) -> Path:
    """vetcheck laid out as its wheel installs it: checklists inside the package
    (pyproject.toml), and bytecode compiled, as pip does at install."""
    site = folder / "site"
    shutil.copytree(
        ROOT / "vetcheck", site / "vetcheck", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "checklists", site / "vetcheck" / "checklists")
    compileall.compile_dir(site, quiet=1)
    return site


def _command(module: str, args: list[str], site: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{site}", "NO_COLOR": "1"}
    return [sys.executable, "-c", LAUNCH, module, *args], env


def cpu_run(module: str, args: list[str], site: Path) -> tuple[float, float]:
    """CPU seconds (user + system) and peak RSS in MB of one run, read with wait4."""
    cmd, env = _command(module, args, site)
    # cwd: not the source tree, since `python -c` puts the current folder first on sys.path.
    proc = subprocess.Popen(
        cmd, env=env, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped above
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


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
    timed = []
    for _name, args, hello_args in cases:
        ours, base, peak = [], [], 0.0
        for _ in range(tries):  # interleaved, so drift on the machine hits both alike
            base.append(cpu_run("hello", hello_args, site)[0])
            t, mem = cpu_run("vetcheck.cli", args, site)
            ours.append(t)
            peak = max(peak, mem)
        timed.append((min(ours) * 1000, min(base) * 1000, peak))
    counts: list[float] = []
    if use_callgrind:  # after all timing, so that the counts do not load the machine meanwhile
        jobs = [
            _command(module, a, site)
            for _, args, hello_args in cases
            for module, a in (("vetcheck.cli", args), ("hello", hello_args))
        ]
        counts = [c / 1e6 for c in count_all(jobs, site)]
    for i, ((name, _, hello_args), (t, b, peak)) in enumerate(zip(cases, timed, strict=True)):
        label = f"hello {' '.join(hello_args)}"
        if counts:
            rows.append(Row(name, label, 1.3, counts[2 * i], counts[2 * i + 1], peak, "Mi", t / b))
        else:
            rows.append(Row(name, label, 1.3, t, b, peak, "ms", guard=CPU_STARTUP_BUDGET))


# --- scale ----------------------------------------------------------------------------------


def work(kind: str, size: int, folder: Path) -> Callable[[], object]:
    """One measured piece of work, by name: timed here, and counted in a `--worker` child.

    Everything before the returned function is called is setup, the same for every kind, so
    the count of a child running "none" can be subtracted to leave the work alone.
    """
    bank = load_checklist(builtin_dir() / "ketamine-provider.yaml")
    files = sorted((folder / "subjects").glob("*.yaml"))[:size]
    big = folder / "bench-checklist.yaml"
    one = folder / "one" / "clinic-0000.yaml"

    def report(checklist: Checklist, path: Path) -> str:
        answers, _ = check_answers(load_answers(path), checklist)
        return render_markdown(score(checklist, answers), TODAY)

    def compare_files() -> str:
        loaded = [check_answers(load_answers(p), bank)[0] for p in files]
        return render_comparison_markdown(compare(bank, loaded), TODAY)

    works: dict[str, Callable[[], object]] = {
        "none": lambda: None,
        "parse-checklist": lambda: yaml.load(big.read_text(), Loader=C_LOADER),
        "load-checklist": lambda: load_checklist(big),
        "report-checklist": lambda: report(load_checklist(big), one),
        "parse-files": lambda: [yaml.load(p.read_text(), Loader=C_LOADER) for p in files],
        "compare": compare_files,
        "report-files": lambda: [report(bank, p) for p in files],
    }
    return works[kind]


def best_of_interleaved(
    fn: Callable[[], object], base_fn: Callable[[], object], tries: int
) -> tuple[float, float]:
    """Best CPU seconds of each, tried in turn so that a slow spell hits both alike."""
    ours, base = [], []
    for _ in range(tries):
        for f, times in ((base_fn, base), (fn, ours)):
            gc.collect()
            start = time.process_time()
            f()
            times.append(time.process_time() - start)
    return min(ours), min(base)


def peak_of(fn: Callable[[], object]) -> float:
    """Peak traced heap in MB while fn runs."""
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


@dataclass
class Scale:
    """A scale measure: our work against a baseline's, by name and size (see `work`)."""

    name: str
    baseline: str
    ours: str
    base: str
    size: int = 0
    target: float = 2.0


def scale_rows(measures: list[Scale], tries: int, folder: Path, use_callgrind: bool) -> list[Row]:
    timed = []
    for m in measures:
        fn, base_fn = work(m.ours, m.size, folder), work(m.base, m.size, folder)
        timed.append((best_of_interleaved(fn, base_fn, tries), peak_of(fn)))
    if not use_callgrind:
        return [
            Row(m.name, m.baseline, m.target, t * 1000, b * 1000, peak, "ms", guard=BATCH_BUDGET)
            for m, ((t, b), peak) in zip(measures, timed, strict=True)
        ]
    # Counted after all timing, so that the counts do not load the machine meanwhile.
    jobs = sorted(
        {("none", 0)} | {(m.ours, m.size) for m in measures} | {(m.base, m.size) for m in measures}
    )
    script = str(ROOT / "bench" / "run.py")
    commands = [
        ([sys.executable, script, "--worker", kind, str(size), str(folder)], dict(os.environ))
        for kind, size in jobs
    ]
    counts = dict(zip(jobs, count_all(commands, folder), strict=True))
    setup = counts[("none", 0)]
    return [
        Row(
            m.name,
            m.baseline,
            m.target,
            (counts[(m.ours, m.size)] - setup) / 1e6,
            (counts[(m.base, m.size)] - setup) / 1e6,
            peak,
            "Mi",
            cpu_ratio=t / b,
        )
        for m, ((t, b), peak) in zip(measures, timed, strict=True)
    ]


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


def scale(rows: list[Row], quick: bool, tries: int, folder: Path, use_callgrind: bool) -> list[str]:
    size = 500 if quick else 2000
    counts = [50, 100, 200] if quick else [100, 250, 500]
    report_count = 200 if quick else 1000
    big = big_checklist(size, folder)
    answers_files(big, 1, folder / "one")
    builtin = builtin_dir() / "ketamine-provider.yaml"
    answers_files(builtin, max(max(counts), report_count), folder / "subjects")

    parse_it, parse_them = "C-loader parse of it", "C-loader parse of them"
    measures = [
        Scale(
            f"load + validate {size}-question checklist",
            parse_it,
            "load-checklist",
            "parse-checklist",
        ),
        Scale(
            f"report on {size}-question checklist", parse_it, "report-checklist", "parse-checklist"
        ),
        *(Scale(f"compare {n} files", parse_them, "compare", "parse-files", n) for n in counts),
        Scale(
            f"report on {report_count} files",
            parse_them,
            "report-files",
            "parse-files",
            report_count,
        ),
    ]
    found = scale_rows(measures, tries, folder, use_callgrind)
    small, large = found[2], found[1 + len(counts)]
    per_file = {n: r.ours / n for n, r in zip(counts, found[2:], strict=False)}
    # Growth of our cost per file relative to parsing's, which is linear: a quadratic step would
    # show here.
    growth = Row(
        f"compare: cost per file at {counts[-1]} vs {counts[0]}",
        "same, relative to parsing",
        1.5,
        per_file[counts[-1]],
        per_file[counts[0]],
        0.0,
        small.unit,
        ratio_override=large.ratio / small.ratio,
    )
    rows += [*found[:-1], growth, found[-1]]
    unit = "M instructions" if small.unit == "Mi" else "ms"
    return [
        "compare cost per file: " + ", ".join(f"{n} files {per_file[n]:.2f} {unit}" for n in counts)
    ]


# --- report ---------------------------------------------------------------------------------


def dependency_versions() -> str:
    """The releases the figures depend on, to be named beside them in docs/performance.md."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("typer", "click", "rich", "pyyaml"):  # recent typer releases vendor click
        with contextlib.suppress(PackageNotFoundError):
            found.append(f"{name} {version(name)}")
    libyaml = "no libyaml"
    if yaml.__with_libyaml__:
        from yaml import _yaml

        libyaml = f"libyaml {_yaml.get_version_string()}"
    return f"{', '.join(found)} ({libyaml})"


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
        help="compare by CPU time even if valgrind is installed",
    )
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)  # KIND SIZE FOLDER
    args = parser.parse_args()
    if args.worker:
        kind, size, folder_name = args.worker
        work(kind, int(size), Path(folder_name))()
        return 0
    quick = args.quick
    use_callgrind = not args.no_callgrind and shutil.which("valgrind") is not None
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = installed_copy(folder)
        startup(rows, 2 if use_callgrind else (7 if quick else 15), use_callgrind, site)
        notes = scale(rows, quick, 7 if quick else 3, folder, use_callgrind)

    print(
        f"vetcheck benchmark ({'quick' if quick else 'full'}): {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    )
    print(f"with {dependency_versions()}")
    how = (
        "instructions counted by callgrind (Mi = millions); cpu: the ratio of CPU times"
        if use_callgrind
        else "CPU time, best of interleaved tries"
    )
    print(f"compared by {how}")
    print("peak MB: max RSS of the process (start-up) or peak traced heap (scale)")
    print()
    width = max(len(r.name) for r in rows)
    print(
        f"{'measure':<{width}}  {'ratio':>5}  {'target':>6}  {'budget':>6}  {'ours':>10}  {'baseline':>10}  {'cpu':>5}  {'peak MB':>7}  baseline"
    )
    for r in rows:
        flag = (
            ""
            if r.meets_target
            else ("  (target missed)" if r.within_budget else "  <-- OVER BUDGET")
        )
        peak = f"{r.peak_mb:7.1f}" if r.peak_mb else " " * 7
        cpu = f"{r.cpu_ratio:5.2f}" if r.cpu_ratio else " " * 5
        print(
            f"{r.name:<{width}}  {r.ratio:5.2f}  {r.target:6.2f}  {r.budget:6.2f}  {r.ours:7.1f} {r.unit:<2}"
            f"  {r.base:7.1f} {r.unit:<2}  {cpu}  {peak}  {r.baseline}{flag}"
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
