"""argparse's own words ("usage:", "error:", "options", its error messages) in Coach's
language.

argparse looks its messages up through the two names it imports at module level,
`from gettext import gettext as _, ngettext`: the default gettext domain, which Coach
does not use and whose language follows the environment, not Coach's `language`
setting. `install()` points those two names at Coach's catalog (coach/i18n.py), so
`coach --help` and `coach stats --day x` speak the language Coach speaks.

MESSAGES lists, with N_(), the messages argparse can show a Coach user, so that
`scripts/i18n.sh` extracts them into coach.pot; each must be argparse's msgid word for
word (tests/core/test_cli_language.py checks them against the installed argparse).
Left out: messages only a programming error can cause (conflicting option strings,
"dest= is required", ...), the plurals of `nargs=N` (Coach's parser has none), and
FileType's and --version's (not used).
"""

from __future__ import annotations

import argparse

from coach import i18n
from coach.i18n import N_

MESSAGES = (
    N_("usage: "),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)


def install() -> None:
    """Make argparse translate through Coach's catalog (in whatever language
    `i18n.use` chose, now or later)."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
