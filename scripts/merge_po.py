"""Fill msgstr in locale/vi/LC_MESSAGES/django.po from translation snippets (*.po.txt) and Django's own
Vietnamese catalogue; report what is still untranslated. Usage: python scripts/merge_po.py SNIPPET..."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PO = Path("locale/vi/LC_MESSAGES/django.po")


def read_pairs(path: Path) -> dict[str, str]:
    pairs: dict[str, str] = {}
    msgid: str | None = None
    msgstr: str | None = None
    cur = None
    fuzzy = False

    def flush() -> None:
        nonlocal msgid, msgstr, fuzzy
        if msgid is not None and msgstr and not fuzzy:
            pairs[msgid] = msgstr
        msgid = msgstr = None
        fuzzy = False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            if not line and msgstr is not None:
                flush()
            continue
        if line.startswith(("msgid_plural", "msgstr[")):
            cur = None
            continue
        if line.startswith("msgid "):
            if msgstr is not None:
                flush()
            msgid = ast.literal_eval(line[6:])
            cur = "id"
        elif line.startswith("msgstr "):
            msgstr = ast.literal_eval(line[7:])
            cur = "str"
        elif line.startswith('"'):
            if cur == "id" and msgid is not None:
                msgid += ast.literal_eval(line)
            elif cur == "str" and msgstr is not None:
                msgstr += ast.literal_eval(line)
    flush()
    return pairs


def escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def main() -> None:
    known: dict[str, str] = {}
    for arg in sys.argv[1:]:
        known.update(read_pairs(Path(arg)))
    text = PO.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    out = [blocks[0]]
    missing = []
    for block in blocks[1:]:
        lines = block.splitlines()
        body = [ln for ln in lines if not ln.startswith("#")]
        comments = [ln for ln in lines if ln.startswith("#") and "fuzzy" not in ln and not ln.startswith("#|")]
        joined = "\n".join(body)
        if "msgid_plural" in joined:
            out.append(block)
            continue
        # reconstruct msgid
        msgid = ""
        msgstr = ""
        cur = None
        for ln in body:
            if ln.startswith("msgid "):
                msgid = ast.literal_eval(ln[6:])
                cur = "id"
            elif ln.startswith("msgstr "):
                msgstr = ast.literal_eval(ln[7:])
                cur = "str"
            elif ln.startswith('"'):
                if cur == "id":
                    msgid += ast.literal_eval(ln)
                else:
                    msgstr += ast.literal_eval(ln)
        if msgid in known and (not msgstr or "#, fuzzy" in block):
            msgstr = known[msgid]
        elif "#, fuzzy" in block:
            msgstr = ""  # a guess by msgmerge from a similar string: never ship it as a translation
        if not msgstr:
            missing.append(msgid)
        out.append("\n".join([*comments, f'msgid "{escape(msgid)}"', f'msgstr "{escape(msgstr)}"']))
    PO.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(blocks) - 1} entries, {len(missing)} untranslated\n")
    Path("var").mkdir(exist_ok=True)
    Path("var/untranslated.txt").write_text("\n".join(repr(m) for m in missing), encoding="utf-8")


if __name__ == "__main__":
    main()
