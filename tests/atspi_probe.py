"""Read a running application's accessibility tree over the real AT-SPI bus.

Run by Debian's own Python (`/usr/bin/python3` with python3-gi and gir1.2-atspi-2.0),
not by the test's virtual environment: the tests call it as a subprocess, the way a
screen reader is a separate process. Prints JSON on stdout.

  atspi_probe.py start                     start the accessibility bus and its registry
  atspi_probe.py tree APP                  every node: role, name, description, states, actions
  atspi_probe.py act APP ROLE NAME ACTION  do an action (e.g. "Press") on the first match
  atspi_probe.py listen APP SECONDS [UNTIL]  events heard while listening (at most SECONDS,
                                           or until an event of type UNTIL)
"""

from __future__ import annotations

import json
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

MAX_NODES = 4000


def find_apps(name: str, timeout: float = 15.0) -> list[Atspi.Accessible]:
    """Every application named `name` (Coach shows its break window from a process of
    its own: a second application of the same name)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            desktop = Atspi.get_desktop(0)
            apps = [desktop.get_child_at_index(i) for i in range(desktop.get_child_count())]
            found = [
                a for a in apps if a is not None and (a.get_name() or "").lower() == name.lower()
            ]
            if found:
                return found
        except GLib.Error:
            pass  # the registry is still starting on a fresh bus: ask again
        time.sleep(0.2)
    raise SystemExit(f"no application {name!r} on the AT-SPI bus")


def _states(node: Atspi.Accessible) -> list[str]:
    states = node.get_state_set()
    return sorted(
        Atspi.StateType(s).value_nick
        for s in range(Atspi.StateType.LAST_DEFINED)
        if states.contains(Atspi.StateType(s))
    )


def _actions(node: Atspi.Accessible) -> list[str]:
    action = node.get_action_iface()
    if action is None:
        return []
    return [action.get_action_name(i) for i in range(action.get_n_actions())]


def _text(node: Atspi.Accessible) -> str:
    text = node.get_text_iface()
    if text is None:
        return ""
    return text.get_text(0, text.get_character_count())


def _value(node: Atspi.Accessible) -> float | None:
    value = node.get_value_iface()
    return None if value is None else value.get_current_value()


def _labelled_by(node: Atspi.Accessible) -> list[str]:
    """The names of the labels a control is labelled by (e.g. a Qt label's buddy)."""
    return [
        rel.get_target(i).get_name() or ""
        for rel in node.get_relation_set() or []
        if rel.get_relation_type() == Atspi.RelationType.LABELLED_BY
        for i in range(rel.get_n_targets())
    ]


def describe(node: Atspi.Accessible, path: list[int]) -> dict[str, object]:
    return {
        "path": path,
        "role": node.get_role_name(),
        "name": node.get_name() or "",
        "description": node.get_description() or "",
        "states": _states(node),
        "actions": _actions(node),
        "text": _text(node),
        "value": _value(node),
        "labelled_by": _labelled_by(node),
    }


def walk(root: Atspi.Accessible) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    stack: list[tuple[Atspi.Accessible, list[int]]] = [(root, [])]
    while stack and len(out) < MAX_NODES:
        node, path = stack.pop()
        try:
            out.append(describe(node, path))
            count = node.get_child_count()
        except GLib.Error:
            continue  # a node that went away while we read
        for i in reversed(range(count)):
            child = node.get_child_at_index(i)
            if child is not None:
                stack.append((child, [*path, i]))
    return out


def act(apps: list[Atspi.Accessible], role: str, name: str, action_name: str) -> dict[str, object]:
    stack = list(apps)
    while stack:
        node = stack.pop()
        if node.get_role_name() == role and (node.get_name() or "") == name:
            action = node.get_action_iface()
            names = _actions(node)
            if action is None or action_name not in names:
                raise SystemExit(f"{role} {name!r} has no action {action_name!r}: {names}")
            return {"done": action.do_action(names.index(action_name))}
        stack.extend(
            c
            for c in (node.get_child_at_index(i) for i in range(node.get_child_count()))
            if c is not None
        )
    raise SystemExit(f"no {role} named {name!r}")


def listen(app_name: str, seconds: float, until: str = "") -> list[dict[str, object]]:
    heard: list[dict[str, object]] = []
    loop = GLib.MainLoop()

    def on_event(event: Atspi.Event) -> None:
        source = event.source
        try:
            app = source.get_application().get_name() if source is not None else ""
        except GLib.Error:
            app = ""
        if app.lower() != app_name.lower():
            return
        role = source.get_role_name() if source is not None else ""
        heard.append(
            {
                "type": event.type,
                "detail1": event.detail1,
                "any_data": event.any_data if isinstance(event.any_data, str) else "",
                "role": role,
                "name": (source.get_name() or "") if source is not None else "",
                # a menu is not a child of the application: read it when it shows
                "items": [[n["role"], n["name"], n["states"]] for n in walk(source)[1:]]
                if role == "popup menu" and event.detail1
                else [],
            }
        )
        if until and event.type == until:
            loop.quit()

    listener = Atspi.EventListener.new(on_event)
    for kind in (
        "object:announcement",
        "window:create",
        "object:state-changed:showing",
        "object:state-changed:focused",
        "object:selection-changed",
    ):
        listener.register(kind)
    print(json.dumps({"listening": True}), flush=True)  # the test starts acting now
    GLib.timeout_add(int(seconds * 1000), loop.quit)
    loop.run()
    return heard


def main(argv: list[str]) -> int:
    command = argv[1]
    if command == "start":  # bring up the accessibility bus and registry, before any app
        print(json.dumps({"applications": Atspi.get_desktop(0).get_child_count()}))
        return 0
    app_name = argv[2]
    if command == "tree":
        print(json.dumps([node for app in find_apps(app_name) for node in walk(app)]))
    elif command == "act":
        print(json.dumps(act(find_apps(app_name), argv[3], argv[4], argv[5])))
    elif command == "listen":
        find_apps(app_name)
        print(json.dumps(listen(app_name, float(argv[3]), argv[4] if len(argv) > 4 else "")))
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
