"""The inbox of a period: what `collect` and `run` read when no source is named, and what waits there unread.

The office keeps one folder per period (input/inbox/2026/, made by `init` and `templates`), or none and saves
everything in input/inbox/. With a folder per period, a file saved directly in input/inbox/ beside those folders
is read too when it is for the period: its workbooks say so (the template's period), or the ledger already
received it for that period. Any other file left there is *waiting*: named, never silently ignored.

`pending` counts what `collect` has not read yet, without checking anything (hashes against the ledger), for
the commands that only read the ledger (`status`, `consolidate`, `report`, `remind`) to say so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from planreports.findings import IssueCode
from planreports.intake.collect import other_periods, rules_for
from planreports.intake.sources import Incoming, ignored, iter_sources
from planreports.intake.workers import Job, validate_jobs
from planreports.ledger import Known, Ledger
from planreports.plan.periods import Period
from planreports.workspace import Workspace


@dataclass(frozen=True)
class Inbox:
    folder: Path                       # input/inbox/P/, or input/inbox/ without a folder per period
    loose: tuple[Path, ...] = ()       # files directly in input/inbox/ that are for the period: read too
    waiting: tuple[Path, ...] = ()     # files directly in input/inbox/ not read: another period, or unknown

    @property
    def sources(self) -> list[Path]:
        """What `collect` reads."""
        return [*([self.folder] if self.folder.exists() else []), *self.loose]


@dataclass(frozen=True)
class Pending:
    """Files not yet collected: in the period's inbox, and (with a folder per period) directly in input/inbox/."""

    folder: Path
    in_folder: int = 0
    loose: tuple[Path, ...] = ()

    @property
    def count(self) -> int:
        return self.in_folder + len(self.loose)


def loose_files(ws: Workspace) -> list[Path]:
    """Files saved directly in input/inbox/, not in a folder (Excel's lock files and the like left out)."""
    if not ws.inbox.is_dir():
        return []
    return sorted(p for p in ws.inbox.iterdir() if p.is_file() and not ignored(p))


def _digests(path: Path, skip_other_periods: Period | None = None) -> list[str]:
    folders = other_periods(skip_other_periods)
    return [hashlib.sha256(item.data).hexdigest() for item in iter_sources([path], folders)
            if isinstance(item, Incoming)]


def _known(ws: Workspace, digests: Iterable[str]) -> dict[str, Known]:
    """What the ledger knows of these digests; nothing (and no ledger made) before the first collect."""
    if not ws.ledger_path.exists():
        return {}
    with Ledger(ws.archive_dir) as ledger:
        return ledger.known_digests(sorted(set(digests)))


def _claimed_periods(ws: Workspace, period: Period, items: list[Incoming]) -> list[str | None]:
    """For each workbook, `period.id` when its contents say it is for that period, else None (another
    period, none written, or no agency identified). Checked in the worker processes, as collect does."""
    jobs = [Job(n, item.name, item.data) for n, item in enumerate(items)]
    found: list[str | None] = [None] * len(items)
    for job, validation in validate_jobs(jobs, rules_for(ws, period)):
        unsure = any(issue.code is IssueCode.PERIOD_UNKNOWN for issue in validation.issues)
        found[job.index] = validation.period if validation.period == period.id and not unsure else None
    return found


def _sort_loose(ws: Workspace, period: Period, files: list[Path]) -> tuple[list[Path], list[Path]]:
    """(files for the period, files waiting); a file the ledger has for another period is neither."""
    items = {path: [i for i in iter_sources([path]) if isinstance(i, Incoming)] for path in files}
    digests = {path: [hashlib.sha256(i.data).hexdigest() for i in found] for path, found in items.items()}
    known = _known(ws, (d for found in digests.values() for d in found))
    unknown = [(path, n) for path in files for n, d in enumerate(digests[path]) if d not in known]
    claimed = dict(zip(unknown, _claimed_periods(ws, period, [items[p][n] for p, n in unknown]), strict=True))
    mine, waiting = [], []
    for path in files:
        periods = [known[d].period if d in known else claimed[(path, n)] for n, d in enumerate(digests[path])]
        if periods and all(p == period.id for p in periods):
            mine.append(path)
        elif not periods or any(d not in known for d in digests[path]):
            waiting.append(path)
    return mine, waiting


def period_inbox(ws: Workspace, period: Period) -> Inbox:
    """Where `collect --period P` and `run` read by default: the period's folder, and the files saved directly
    in input/inbox/ that are for P."""
    folder = ws.inbox_for(period)
    files = loose_files(ws) if folder != ws.inbox else []
    if not files:
        return Inbox(folder)
    mine, waiting = _sort_loose(ws, period, files)
    return Inbox(folder, tuple(mine), tuple(waiting))


def pending(ws: Workspace, period: Period) -> Pending:
    """What waits to be collected for the period: files in its inbox the ledger has not received, and files
    directly in input/inbox/ (beside a folder per period) with anything it has not received."""
    folder = ws.inbox_for(period)
    if not folder.is_dir():
        return Pending(folder)
    inside = _digests(folder, period)
    files = loose_files(ws) if folder != ws.inbox else []
    loose = {path: _digests(path) for path in files}
    known = _known(ws, [*inside, *(d for found in loose.values() for d in found)])
    return Pending(folder, sum(1 for d in inside if d not in known),
                   tuple(p for p, found in loose.items() if not found or any(d not in known for d in found)))


def _names(paths: tuple[Path, ...], shown: int = 5) -> str:
    names = ", ".join(p.name for p in paths[:shown])
    return names + (f" và {len(paths) - shown} tệp khác" if len(paths) > shown else "")


def waiting_warning(ws: Workspace, period: Period, inbox: Inbox) -> str | None:
    """What stays unread directly in input/inbox/ after collecting the period, and what to do with it."""
    if not inbox.waiting:
        return None
    return (f"{len(inbox.waiting)} tệp nằm ngay trong {ws.shown(ws.inbox)} (ngoài thư mục {ws.shown(inbox.folder)}) "
            f"không được đọc cho kỳ {period.id} vì không xác định được là báo cáo kỳ {period.id}: "
            f"{_names(inbox.waiting)}. Tệp nào là báo cáo kỳ {period.id} thì chuyển vào {ws.shown(inbox.folder)} "
            "rồi chạy lại lệnh; tệp của kỳ khác chuyển vào thư mục của kỳ đó.")


def pending_warning(ws: Workspace, period: Period, found: Pending) -> str | None:
    """That files wait to be collected (so what is shown or written does not count them yet), and how."""
    said = []
    if found.in_folder:
        said.append(f"Còn {found.in_folder} tệp trong {ws.shown(found.folder)} chưa được nhận (chưa chạy collect "
                    f"sau khi lưu tệp), nên chưa được tính: chạy “planreports collect --period {period.id}” hoặc "
                    f"“planreports run --period {period.id}” để đọc các tệp này.")
    if found.loose:
        said.append(f"{len(found.loose)} tệp nằm ngay trong {ws.shown(ws.inbox)} chưa được nhận "
                    f"({_names(found.loose)}): lệnh collect và run chỉ đọc tệp ở đó khi đó là báo cáo kỳ "
                    f"{period.id}; tệp của kỳ {period.id} nên lưu vào {ws.shown(ws.period_inbox(period))}, tệp "
                    "của kỳ khác vào thư mục của kỳ đó.")
    return " ".join(said) or None
