"""Reading a running process tree's footprint from /proc (Linux only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
    uss_kib: int  # private pages only: does not depend on what else runs
    cpu_s: float  # time on a CPU (schedstat, ns precision) of the live threads
    voluntary: int  # voluntary context switches of the live threads
    involuntary: int
    threads: int

    def __sub__(self, other: Reading) -> Reading:
        return Reading(self.pss_kib - other.pss_kib, self.rss_kib - other.rss_kib,
                       self.uss_kib - other.uss_kib,
                       self.cpu_s - other.cpu_s, self.voluntary - other.voluntary,
                       self.involuntary - other.involuntary, self.threads - other.threads)


def read(pid: int) -> Reading:
    pss = rss = uss = vol = invol = threads = 0
    cpu = 0.0
    for p in tree(pid):
        try:
            mem = _fields(Path(f"/proc/{p}/smaps_rollup"),
                          ("Pss", "Rss", "Private_Clean", "Private_Dirty"))
            tasks = list(Path(f"/proc/{p}/task").glob("*"))
            run_ns = sum(int((t / "schedstat").read_text().split()[0]) for t in tasks)
            switches = [_fields(t / "status", ("voluntary_ctxt_switches",
                                             "nonvoluntary_ctxt_switches")) for t in tasks]
        except (OSError, ValueError):
            continue  # the process ended meanwhile
        pss += mem["Pss"]
        rss += mem["Rss"]
        uss += mem["Private_Clean"] + mem["Private_Dirty"]
        cpu += run_ns / 1e9  # time on a CPU, in ns, of every live thread
        vol += sum(s["voluntary_ctxt_switches"] for s in switches)
        invol += sum(s["nonvoluntary_ctxt_switches"] for s in switches)
        threads += len(tasks)
    return Reading(pss, rss, uss, cpu, vol, invol, threads)


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


def sharing(path: str, exclude: set[int]) -> list[int]:
    """Other processes that map `path` (they lower the measured PSS of shared pages)."""
    found = []
    for maps in Path("/proc").glob("[0-9]*/maps"):
        pid = int(maps.parent.name)
        if pid in exclude:
            continue
        try:
            if path in maps.read_text():
                found.append(pid)
        except OSError:
            continue
    return found
