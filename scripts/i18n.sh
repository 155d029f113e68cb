#!/usr/bin/env bash
# Translations, two gettext domains (docs/translating.md):
#   coach          the UI: every _("...") / N_("...") / ngettext(...) string in coach/
#   coach-content  exercise and safety texts: the [en] tables of coach/exercises/library/*.toml
#                  and coach/exercises/safety.toml, one context per string (id|field|number)
# extracts both templates into coach/locale/<domain>.pot, merges them into each language's
# coach/locale/<lang>/LC_MESSAGES/<domain>.po and compiles <domain>.mo.
#   bash scripts/i18n.sh        update and compile every language that has a catalog
#   bash scripts/i18n.sh de     the same, starting German catalogs (both domains) if missing
# and writes resources/coach.desktop from the catalogs.
# Then translate the new (empty) entries and run it again. tests/core/test_i18n.py fails
# while any string has no translation in a shipped language.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
PYTHON=${PYTHON:-.venv/bin/python}
LOCALE=coach/locale
HEADER=(--project=Coach --version=0.1 --copyright-holder="Coach contributors")
# keep_if_same POT: a template whose entries did not change keeps its old creation date,
# so the catalogs do not change (and conflict between branches) for nothing
keep_if_same() {
  if [ -f "$1" ] && diff -q <(grep -v '^"POT-Creation-Date' "$1") \
    <(grep -v '^"POT-Creation-Date' "$1.new") >/dev/null; then
    rm "$1.new"
  else
    mv "$1.new" "$1"
  fi
}
"$PYBABEL" -q extract --no-location --sort-output --no-wrap "${HEADER[@]}" \
  --add-comments=Translators: -k _ -k N_ -k ngettext:1,2 -o "$LOCALE/coach.pot.new" coach
keep_if_same "$LOCALE/coach.pot"
# the content extractor is coach.exercises.content.extract_babel, from this checkout
PYTHONPATH=. "$PYBABEL" -q extract --no-location --no-wrap "${HEADER[@]}" \
  -F scripts/content-babel.cfg -o "$LOCALE/coach-content.pot.new" coach/exercises
keep_if_same "$LOCALE/coach-content.pot"
for lang in "$@"; do
  for domain in coach coach-content; do
    if [ ! -f "$LOCALE/$lang/LC_MESSAGES/$domain.po" ]; then
      "$PYBABEL" -q init --no-wrap -D "$domain" -l "$lang" -i "$LOCALE/$domain.pot" -d "$LOCALE"
    fi
  done
done
for dir in "$LOCALE"/*/LC_MESSAGES; do
  lang=$(basename "$(dirname "$dir")")
  for domain in coach coach-content; do
    [ -f "$dir/$domain.po" ] || continue
    "$PYBABEL" -q update --no-wrap --no-fuzzy-matching --ignore-obsolete -D "$domain" \
      -l "$lang" -i "$LOCALE/$domain.pot" -d "$LOCALE"
    "$PYBABEL" compile --statistics -D "$domain" -l "$lang" -d "$LOCALE"
  done
done
# the desktop entry's words come from the catalogs (coach/config/desktop_entry.py)
"$PYTHON" -m coach.config.desktop_entry > resources/coach.desktop
