"""Reading a running process tree's footprint from /proc (Linux only)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """`pid` and all its live descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return out


def _fields(path: Path, keys: tuple[str, ...]) -> dict[str, int]:
    found = dict.fromkeys(keys, 0)
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in found:
            found[name] = int(rest.split()[0])
    return found


@dataclass(frozen=True)
class Reading:
    """Totals over a process tree at one moment."""

    pss_kib: int
    rss_kib: int
    cpu_s: float  # user + system, all threads (live and exited) of live processes
    voluntary: int  # voluntary context switches of the live threads
    involuntary: int
    threads: int

    def __sub__(self, other: Reading) -> Reading:
        return Reading(self.pss_kib - other.pss_kib, self.rss_kib - other.rss_kib,
                       self.cpu_s - other.cpu_s, self.voluntary - other.voluntary,
                       self.involuntary - other.involuntary, self.threads - other.threads)


def read(pid: int) -> Reading:
    pss = rss = vol = invol = threads = 0
    cpu = 0.0
    for p in tree(pid):
        try:
            mem = _fields(Path(f"/proc/{p}/smaps_rollup"), ("Pss", "Rss"))
            stat = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            tasks = list(Path(f"/proc/{p}/task").glob("*"))
            switches = [_fields(t / "status", ("voluntary_ctxt_switches",
                                             "nonvoluntary_ctxt_switches")) for t in tasks]
        except (OSError, ValueError):
            continue  # the process ended meanwhile
        pss += mem["Pss"]
        rss += mem["Rss"]
        cpu += (int(stat[11]) + int(stat[12])) / TICKS  # utime, stime
        vol += sum(s["voluntary_ctxt_switches"] for s in switches)
        invol += sum(s["nonvoluntary_ctxt_switches"] for s in switches)
        threads += len(tasks)
    return Reading(pss, rss, cpu, vol, invol, threads)


def thread_switches(pid: int) -> dict[str, int]:
    """Voluntary context switches per thread name (where the wake-ups go)."""
    out: dict[str, int] = {}
    for p in tree(pid):
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                name = (task / "comm").read_text().strip()
                n = _fields(task / "status", ("voluntary_ctxt_switches",))
            except OSError:
                continue
            key = f"{p}:{name}"
            out[key] = out.get(key, 0) + n["voluntary_ctxt_switches"]
    return out
