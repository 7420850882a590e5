"""Benchmark planreports against the parsing floor, at provincial and national scale.

    python benchmarks/bench.py                      # N = 120, 500, 1000, 2000, 4000
    python benchmarks/bench.py --sizes 120,500      # a quicker look
    python benchmarks/bench.py --keep /tmp/bench    # keep the generated workspaces

For each N it builds a workspace whose registry has N reporting units (the province's departments, the
press, then communes/wards), writes their templates, fills them with varied synthetic answers (a mix of
.xlsx with about 2% .xls and 2% .ods converted by LibreOffice when it is installed), then measures:

    floor        python-calamine alone reading every sheet's cell values of the same files (one process)
    collect      `planreports collect` (validate + archive + ledger), cold process
    consolidate  `planreports consolidate`, cold process
    report       `planreports report` (appendix tables for all N units), cold process
    templates    writing the N agency templates (in process)
    run          `planreports run` from a cold process on a fresh copy (collect + consolidate + report)

and prints wall seconds, the peak resident memory of each command (its own and its worker processes'),
and the ratio (collect + consolidate) / floor. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import python_calamine

from planreports.form.batch import generate_templates
from planreports.plan.lists import AGENCIES, AGENCY_FILE, AGENCY_GROUPS, KINDS
from planreports.plan.seed_lists import seed_rows, write_list_file
from planreports.scaffold import init_workspace
from planreports.testing.filling import fill_template
from planreports.testing.synthetic import synthetic_answers
from planreports.workspace import Workspace

PERIOD = "2024"


def make_workspace(root: Path, units: int) -> Workspace:
    """A workspace whose registry has `units` reporting units: seed departments and press, then communes."""
    init_workspace(root)
    rows = seed_rows()
    agencies = [a for a in rows[AGENCIES.sheet] if a["kind"] != "huyen"]   # the ministry stays, not reporting
    reporting = sum(1 for a in agencies if a["reports"] == "Có")
    for n in range(units - reporting):
        agencies.append({"code": f"XA{n:05d}", "name": f"Ủy ban nhân dân xã Thử Nghiệm {n + 1}",
                         "short": f"UBND xã TN {n + 1}", "kind": "xa-phuong",
                         "email": f"xa{n:05d}@thainguyen.gov.vn", "reports": "Có"})
    groups = [dict(g) for g in rows[AGENCY_GROUPS.sheet]]
    for group in groups:
        if group["code"] == "HUYEN":
            group["members"] = "huyen; xa-phuong"
    rows[AGENCIES.sheet], rows[AGENCY_GROUPS.sheet] = agencies, groups
    write_list_file(root / "input" / AGENCY_FILE, [AGENCIES, AGENCY_GROUPS, KINDS], rows)
    return Workspace(root)


def _fill_one(args: tuple[str, str, str, int]) -> str:
    root, template, out, index = args
    ws = Workspace(Path(root))
    code = Path(template).stem
    answers = synthetic_answers(ws.plan, ws.plan.agency_by_code[code], 2024, seed=index)
    fill_template(Path(template), answers, Path(out))
    return out


def fill_all(ws: Workspace, templates: list[Path], inbox: Path) -> list[Path]:
    inbox.mkdir(parents=True, exist_ok=True)
    jobs = [(str(ws.root), str(t), str(inbox / t.name), n) for n, t in enumerate(templates)]
    with multiprocessing.get_context().Pool() as pool:
        paths = [Path(p) for p in pool.map(_fill_one, jobs, chunksize=16)]
    _mix_formats(paths)
    return sorted(inbox.iterdir())


def _mix_formats(paths: list[Path]) -> None:
    """About 2% .xls and 2% .ods, converted by LibreOffice (skipped when it is not installed)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("  (LibreOffice not installed: all files stay .xlsx)")
        return
    for fmt, offset in (("xls", 0), ("ods", 25)):
        chosen = [p for n, p in enumerate(paths) if n % 50 == offset]
        if not chosen:
            continue
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                            "--outdir", str(chosen[0].parent), *map(str, chosen)],
                           capture_output=True, timeout=1800, check=False)
        for path in chosen:
            if path.with_suffix(f".{fmt}").exists():
                path.unlink()


def floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def command(args: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, the command and its workers) of a cold `planreports` process."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as report:
        target = report.name
    start = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--measure", target, "--", *args], capture_output=True,
                            text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode not in ok:
        raise RuntimeError(result.stdout[-2000:] + result.stderr[-2000:])
    with open(target, encoding="utf-8") as handle:
        peak = json.load(handle)["peak_mb"]
    os.unlink(target)
    return seconds, peak


def measured_child(target: str, args: list[str]) -> None:
    """Run the CLI in this process, then record peak memory of this process and its (joined) workers."""
    from planreports.cli import cli

    with contextlib.suppress(SystemExit):  # click's exit codes are the command's business, not ours
        cli.main(args=args, prog_name="planreports", standalone_mode=False)
    peak = 0.0
    try:
        import resource

        scale = 1024 if sys.platform != "darwin" else 1024 * 1024
        peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / scale
    except ImportError:
        peak = float("nan")
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"peak_mb": peak}, handle)


def bench(size: int, base: Path) -> dict[str, float]:
    print(f"N = {size}: preparing …", flush=True)
    ws = make_workspace(base / f"ws-{size}", size)
    start = time.perf_counter()
    templates = generate_templates(ws, ws.period(PERIOD))
    row: dict[str, float] = {"N": size, "templates": time.perf_counter() - start}
    inbox = base / f"inbox-{size}"
    files = fill_all(ws, templates, inbox)
    pristine = base / f"pristine-{size}"
    shutil.copytree(ws.root, pristine)
    row["floor"] = floor(files)
    root = str(ws.root)
    # collect exits 1 when a file is rejected, which the synthetic batch may contain (converted files)
    row["collect"], row["collect_mb"] = command(["-w", root, "collect", str(inbox), "--period", PERIOD, "--json"],
                                                ok=(0, 1))
    row["consolidate"], row["consolidate_mb"] = command(["-w", root, "consolidate", "--period", PERIOD])
    row["report"], row["report_mb"] = command(["-w", root, "report", "--period", PERIOD])
    shutil.rmtree(pristine / "input" / "inbox", ignore_errors=True)
    shutil.copytree(inbox, pristine / "input" / "inbox")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planreports", "-w", str(pristine), "run", "--period", PERIOD],
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-2000:].decode() + done.stderr[-2000:].decode())
    row["run"] = time.perf_counter() - start
    row["ratio"] = (row["collect"] + row["consolidate"]) / row["floor"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="120,500,1000,2000,4000")
    parser.add_argument("--keep", type=Path, help="keep the generated workspaces in this folder")
    options = parser.parse_args()
    # beside the current folder rather than in /tmp: on some machines /tmp is a much slower file system,
    # and collect is measured writing the archive there
    base = options.keep or Path(tempfile.mkdtemp(prefix=".bench-", dir="."))
    base.mkdir(parents=True, exist_ok=True)
    rows = [bench(int(size), base) for size in options.sizes.split(",")]
    header = (f"{'N':>6} {'floor s':>8} {'collect s':>10} {'consol. s':>10} {'report s':>9} {'templ. s':>9} "
              f"{'run s':>7} {'ratio':>6} {'peak MB':>8}")
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        peak = max(r["collect_mb"], r["consolidate_mb"], r["report_mb"])
        print(f"{r['N']:>6} {r['floor']:>8.2f} {r['collect']:>10.2f} {r['consolidate']:>10.2f} {r['report']:>9.2f} "
              f"{r['templates']:>9.2f} {r['run']:>7.2f} {r['ratio']:>6.2f} {peak:>8.0f}")
    print(f"\nratio = (collect + consolidate) / floor; run = whole `planreports run` from a cold process, "
          f"cores: {os.cpu_count()}")
    if options.keep is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measured_child(sys.argv[2], sys.argv[4:])
    else:
        main()
