"""Merge a .pot into a pt_BR .po; optionally fill msgstr from a {msgid: msgstr} file.

Usage: i18n_merge.py TEMPLATE.pot TARGET.po [translations.py defining T = {...}]
Prints the msgids still untranslated; exit 1 when there are any.
"""

import runpy
import sys

import polib


def main(pot_path, po_path, extra=None):
    pot = polib.pofile(pot_path)
    try:
        old = {e.msgid: e for e in polib.pofile(po_path)}
    except OSError:
        old = {}
    table = runpy.run_path(extra)["T"] if extra else {}
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": "Odoo Server 18.0",
        "Language": "pt_BR",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    missing = []
    for entry in pot:
        msgstr = table.get(entry.msgid) or (
            old[entry.msgid].msgstr if entry.msgid in old else ""
        )
        entry.msgstr = msgstr
        if not msgstr:
            missing.append(entry.msgid)
        po.append(entry)
    # keep translations of terms the template lacks (e.g. demo data exported elsewhere)
    known = {entry.msgid for entry in pot}
    for msgid, entry in old.items():
        if msgid not in known and entry.msgstr:
            po.append(entry)
    po.save(po_path)
    for msgid in missing:
        sys.stdout.write(f"untranslated: {msgid!r}\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
