"""Reading a running process tree's footprint from /proc (Linux only)."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    tasks: dict[int, tuple[float, int, int]] = field(default_factory=dict, repr=False)

    def since(self, before: Reading) -> Reading:
        """Memory now; CPU and switches of the threads live now since `before`, thread by
        thread (a thread started meanwhile counts from zero; one that ended meanwhile
        took its counts with it, so it is left out rather than subtracted)."""
        cpu = vol = invol = 0.0
        for tid, (c, v, i) in self.tasks.items():
            c0, v0, i0 = before.tasks.get(tid, (0.0, 0, 0))
            cpu, vol, invol = cpu + c - c0, vol + v - v0, invol + i - i0
        return Reading(
            self.pss_kib, self.rss_kib, self.uss_kib, cpu, int(vol), int(invol), self.threads
        )


def read(pid: int) -> Reading:
    pss = rss = uss = 0
    tasks: dict[int, tuple[float, int, int]] = {}
    for p in tree(pid):
        try:
            mem = _fields(
                Path(f"/proc/{p}/smaps_rollup"), ("Pss", "Rss", "Private_Clean", "Private_Dirty")
            )
            for t in Path(f"/proc/{p}/task").glob("*"):
                run_ns = int((t / "schedstat").read_text().split()[0])
                n = _fields(t / "status", ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"))
                tasks[int(t.name)] = (
                    run_ns / 1e9,
                    n["voluntary_ctxt_switches"],
                    n["nonvoluntary_ctxt_switches"],
                )
        except (OSError, ValueError):
            continue  # the process or a thread ended meanwhile
        pss += mem["Pss"]
        rss += mem["Rss"]
        uss += mem["Private_Clean"] + mem["Private_Dirty"]
    return Reading(
        pss,
        rss,
        uss,
        sum(c for c, _v, _i in tasks.values()),
        sum(v for _c, v, _i in tasks.values()),
        sum(i for _c, _v, i in tasks.values()),
        len(tasks),
        tasks,
    )


def by_mapping(pid: int) -> dict[str, int]:
    """Resident KiB of `pid` by what is mapped: a file's name, "[heap]" (the C heap),
    "[anon]" (other anonymous memory: Python's arenas, big allocations, thread stacks),
    or the kernel's name ("[stack]")."""
    out: dict[str, int] = {}
    name = "[anon]"
    try:
        lines = Path(f"/proc/{pid}/smaps").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        head, _, rest = line.partition(" ")
        if "-" in head and not head.endswith(":"):  # a mapping's first line
            fields = rest.split()
            name = Path(fields[4]).name if len(fields) > 4 else "[anon]"
        elif head == "Rss:":
            out[name] = out.get(name, 0) + int(rest.split()[0])
    return out


def thread_switches(pid: int) -> dict[str, int]:
    """Voluntary context switches per live thread, keyed "pid:name:tid" (where the
    wake-ups go)."""
    out: dict[str, int] = {}
    for p in tree(pid):
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                name = (task / "comm").read_text().strip()
                n = _fields(task / "status", ("voluntary_ctxt_switches",))
            except OSError:
                continue
            out[f"{p}:{name}:{task.name}"] = n["voluntary_ctxt_switches"]
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


def _mapped_files(pid: int) -> set[str]:
    try:
        lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    except OSError:
        return set()
    return {fields[5] for fields in (line.split() for line in lines) if len(fields) > 5}


def _everyones(path: str) -> bool:
    """The C library and locale data: every process maps them, and one more or less moves
    a process's PSS by a few KiB."""
    name = Path(path).name
    return name.startswith(("libc.so", "ld-linux")) or path.startswith("/usr/lib/locale/")


def sharers(pid: int) -> dict[int, str]:
    """Other processes (pid -> name) that map a file `pid` maps: PSS divides those
    files' pages among them, so one starting or ending moves `pid`'s PSS."""
    files = {f for f in _mapped_files(pid) if f.startswith("/") and not _everyones(f)}
    own = set(tree(pid))
    found = {}
    for maps in Path("/proc").glob("[0-9]*/maps"):
        other = int(maps.parent.name)
        if other not in own and files & _mapped_files(other):
            try:
                found[other] = (maps.parent / "comm").read_text().strip()
            except OSError:
                continue
    return found
