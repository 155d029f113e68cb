#!/usr/bin/env bash
# Translations: extract every _("...") / N_("...") / ngettext(...) string from coach/ into
# coach/locale/coach.pot, merge it into each language's catalog
# coach/locale/<lang>/LC_MESSAGES/coach.po and compile coach.mo.
#   bash scripts/i18n.sh        update and compile every language that has a catalog
#   bash scripts/i18n.sh de     the same, starting a German catalog if there is none yet
# and writes resources/coach.desktop from the catalogs.
# Then translate the new (empty) entries and run it again. tests/core/test_i18n.py fails
# while any visible string has no translation in a shipped language.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
PYTHON=${PYTHON:-.venv/bin/python}
LOCALE=coach/locale
"$PYBABEL" -q extract --no-location --sort-output --no-wrap \
  --project=Coach --version=0.1 --copyright-holder="Coach contributors" \
  --add-comments=Translators: -k _ -k N_ -k ngettext:1,2 -o "$LOCALE/coach.pot" coach
for lang in "$@"; do
  if [ ! -f "$LOCALE/$lang/LC_MESSAGES/coach.po" ]; then
    "$PYBABEL" -q init --no-wrap -D coach -l "$lang" -i "$LOCALE/coach.pot" -d "$LOCALE"
  fi
done
for po in "$LOCALE"/*/LC_MESSAGES/coach.po; do
  lang=$(basename "$(dirname "$(dirname "$po")")")
  "$PYBABEL" -q update --no-wrap --no-fuzzy-matching --ignore-obsolete -D coach -l "$lang" \
    -i "$LOCALE/coach.pot" -d "$LOCALE"
  "$PYBABEL" compile --statistics -D coach -l "$lang" -d "$LOCALE"
done
# the desktop entry's words come from the catalogs (coach/config/desktop_entry.py)
"$PYTHON" -m coach.config.desktop_entry > resources/coach.desktop
