#!/usr/bin/env bash
# Translations: extract every _("...") / N_("...") / ngettext(...) string from coach/ into
# coach/locale/coach.pot, merge it into the Dutch catalog coach/locale/nl/LC_MESSAGES/coach.po
# and compile coach.mo. Then translate the new (empty) entries in coach.po and
# run this again. tests/core/test_i18n.py fails while any visible string has no Dutch text.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
LOCALE=coach/locale
PO=$LOCALE/nl/LC_MESSAGES/coach.po
"$PYBABEL" -q extract --no-location --sort-output --no-wrap \
  --project=Coach --version=0.1 --copyright-holder="Coach contributors" \
  -k _ -k N_ -k ngettext:1,2 -o "$LOCALE/coach.pot" coach
if [ -f "$PO" ]; then
  "$PYBABEL" -q update --no-wrap --no-fuzzy-matching --ignore-obsolete -D coach -l nl \
    -i "$LOCALE/coach.pot" -d "$LOCALE"
else
  "$PYBABEL" -q init --no-wrap -D coach -l nl -i "$LOCALE/coach.pot" -d "$LOCALE"
fi
"$PYBABEL" compile --statistics -D coach -l nl -d "$LOCALE"
