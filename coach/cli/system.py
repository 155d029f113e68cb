"""`coach doctor` and `coach autostart`: Coach on this computer."""

from __future__ import annotations

import argparse
import sys

from coach.cli.common import Subcommands, json_text
from coach.config import policy as policy_mod
from coach.config import settings as settings_mod
from coach.config.preferences import Preferences
from coach.i18n import _


def cmd_autostart(args: argparse.Namespace) -> int:
    """`coach autostart enable|disable|status`, within the employer policy."""
    from coach.config import autostart

    preferences: Preferences = args.preferences
    entry = autostart.backend()
    note = preferences.policy.note("autostart")
    if args.action != "status":
        wanted, reason = preferences.policy.check("autostart", args.action == "enable")
        if reason:
            print(
                _("coach: starting at login stays as it is: {reason}").format(reason=reason),
                file=sys.stderr,
            )
            return 1
        try:
            preferences.save(
                {"autostart": None if wanted == preferences.base.autostart else wanted}
            )
            if wanted:
                entry.enable(autostart.launch_command())
            else:
                entry.disable()
        except (settings_mod.SaveError, OSError) as exc:
            print(f"coach: {exc}", file=sys.stderr)
            return 1
    print(entry.state().describe())
    if note:
        print(note)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from coach.config import autostart
    from coach.platform import detect
    from coach.platform.screens import KNOWN_FILE, KnownScreens, connected

    preferences: Preferences = args.preferences
    p, problems = preferences.paths, preferences.problems
    if args.usual_screens:
        screens = connected()
        KnownScreens(p.data_dir / KNOWN_FILE).add(screens)
        names = ", ".join(s.label for s in screens) or _("none")
        print(_("Your usual screens now: {screens}").format(screens=names))
    platform = detect(known_screens=p.data_dir / KNOWN_FILE)
    try:
        report = platform.report()
    finally:
        platform.close()
    files = {
        "settings": str(p.settings_file),
        "policy": str(p.policy_file),
        "database": str(p.database),
        "problems": [str(x) for x in problems],
    }
    rules = policy_mod.describe(preferences.policy)
    login = autostart.backend().state()
    if args.json:
        print(
            json_text(
                {
                    "adapters": [r.as_dict() for r in report],
                    "files": files,
                    "policy": rules,
                    "autostart": {
                        "enabled": login.enabled,
                        "entry": login.where,
                        "all_users": login.all_users,
                    },
                },
                indent=1,
            )
        )
        return 0
    for family in report:
        print(family.describe())
    print(_("settings: {file}").format(file=files["settings"]))
    policy_line = _("policy:   {file}")
    print(policy_line.format(file=files["policy"]))
    for rule in rules:
        print(" " * policy_line.index("{") + rule)
    print(_("data:     {file}").format(file=files["database"]))
    print(_("startup:  {state}").format(state=login.describe()))
    for problem in problems:
        print(_("problem:  {problem}").format(problem=problem))
    return 0


def add_commands(sub: Subcommands) -> None:
    """Add this module's commands to `coach`."""
    doc = sub.add_parser("doctor", help=_("which desktop adapters work here, and why"))
    doc.add_argument("--json", action="store_true")
    doc.add_argument(
        "--usual-screens",
        action="store_true",
        help=_("remember the screens connected now as yours (breaks no longer wait for them)"),
    )
    doc.set_defaults(func=cmd_doctor)

    auto = sub.add_parser("autostart", help=_("start Coach when you log in, or not"))
    auto.add_argument("action", choices=("enable", "disable", "status"))
    auto.set_defaults(func=cmd_autostart)
