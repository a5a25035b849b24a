"""``get_file(..., extract=True)`` judges every member's path itself: links that lead out
of the folder, or through another link (the CVE-2025-4517 long-path pattern defeats
``realpath``), are refused and nothing lands outside the cache."""
import io
import os
import tarfile

import pytest

from kfront.utils import file_utils


def _tar(path, entries):
    """``entries``: (name, "file"|"dir"|"link", data or link target)."""
    with tarfile.open(path, "w") as tar:
        for name, kind, value in entries:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(value)
                tar.addfile(info, io.BytesIO(value))
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.type = tarfile.SYMTYPE
                info.linkname = value
                tar.addfile(info)


def _long_path_chain(escape_to):
    """The shape of the CVE-2025-4517 proof of concept: nested folders with long names and
    links each pointing one level up, so the path of the final link is longer than
    PATH_MAX and ``realpath`` stops resolving it, then a link through that chain."""
    entries, steps = [], []
    name = "d" * 247
    for i in range(16):
        folder = "/".join(steps + [name])
        entries.append((folder, "dir", None))
        entries.append(("/".join(steps + [f"l{i}"]), "link", name))
        steps.append(f"l{i}")
    chain = "/".join(steps)
    entries.append((f"{chain}/escape", "link", "../" * 16 + escape_to))
    entries.append(("escape", "link", f"{chain}/escape"))
    entries.append(("escape/pwned.txt", "file", b"owned"))
    return entries


@pytest.mark.parametrize("entries, message", [
    (_long_path_chain("../../outside"), "through a link|points outside"),
    ([("d", "link", "."), ("e", "link", "d/../../outside")], "through another link"),
    ([("d", "link", "sub"), ("d/pwned.txt", "file", b"x")], "through a link"),
    ([("../pwned.txt", "file", b"x")], "outside the extraction folder"),
    ([("x", "link", "/etc/passwd")], "points outside"),
])
def test_hostile_tars_are_refused(tmp_path, entries, message):
    cache = tmp_path / "cache"
    cache.mkdir()
    archive = tmp_path / "bad.tar"
    _tar(archive, entries)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(ValueError, match=message):
        file_utils._extract(str(archive), str(cache / "bad"), "tar")
    assert sorted(os.listdir(tmp_path)) == before
    assert os.listdir(cache) == []                       # no staging folder left behind


def test_inside_links_still_extract(tmp_path):
    archive = tmp_path / "ok.tar"
    _tar(archive, [("top/one.txt", "file", b"1"), ("top/alias.txt", "link", "one.txt"),
                   ("top/sub", "dir", None), ("top/sub/up.txt", "link", "../one.txt")])
    target = tmp_path / "out"
    assert file_utils._extract(str(archive), str(target), "tar")
    assert (target / "top" / "alias.txt").read_text() == "1"
    assert (target / "top" / "sub" / "up.txt").read_text() == "1"
