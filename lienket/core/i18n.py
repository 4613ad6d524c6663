"""A small .po → .mo compiler so translations build without GNU gettext installed (the demo machine may
not have it). Handles msgctxt, plurals and multi-line strings — what Django's makemessages writes."""

from __future__ import annotations

import ast
import struct
from pathlib import Path


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line))


def parse_po(text: str) -> dict[str, str]:
    """Return {msgid (with context and plural joined as gettext stores them): msgstr}; skips fuzzy and empty."""
    messages: dict[str, str] = {}
    entry: dict[str, str] = {}
    plural: dict[int, str] = {}
    fuzzy = False
    current: tuple[str, int | None] | None = None

    def flush() -> None:
        nonlocal entry, plural, fuzzy
        if "msgid" in entry and not fuzzy:
            msgid = str(entry["msgid"])
            if "msgid_plural" in entry:
                strs = [plural[k] for k in sorted(plural)]
                if all(strs):
                    key = msgid + "\0" + str(entry["msgid_plural"])
                    if "msgctxt" in entry:
                        key = f"{entry['msgctxt']}\x04{key}"
                    messages[key] = "\0".join(strs)
            else:
                msgstr = str(entry.get("msgstr", ""))
                if msgstr or msgid == "":
                    key = msgid if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{msgid}"
                    messages[key] = msgstr
        entry = {}
        plural = {}
        fuzzy = False

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#,") and "fuzzy" in line:
            if ("msgid" in entry and "msgstr" in entry) or "msgstr_plural" in entry:
                flush()
            fuzzy = True
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None:
                continue
            name, idx = current
            if idx is None:
                entry[name] = entry.get(name, "") + _unquote(line)
            else:
                plural[idx] = plural.get(idx, "") + _unquote(line)
            continue
        if keyword in ("msgctxt", "msgid") and ("msgstr" in entry or plural):
            flush()
        if keyword.startswith("msgstr["):
            idx = int(keyword[7:-1])
            plural[idx] = _unquote(rest)
            current = ("msgstr_plural", idx)
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            entry[keyword] = _unquote(rest)
            current = (keyword, None)
    flush()
    return messages


def build_mo(messages: dict[str, str]) -> bytes:
    keys = sorted(messages)
    ids = b""
    strs = b""
    offsets = []
    for key in keys:
        k = key.encode("utf-8")
        v = messages[key].encode("utf-8")
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    n = len(keys)
    keystart = 7 * 4 + 16 * n
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    return header + struct.pack(f"{len(koffsets)}i", *koffsets) + struct.pack(f"{len(voffsets)}i", *voffsets) + ids + strs


def compile_po_file(po_path: Path) -> bytes:
    return build_mo(parse_po(po_path.read_text(encoding="utf-8")))


def locale_po_files(base: Path) -> list[Path]:
    return sorted(base.glob("locale/*/LC_MESSAGES/*.po"))
