"""get_file against a loopback HTTP server: cache, hashes, resume, extraction, refusals."""
import hashlib
import io
import os
import socket
import tarfile
import zipfile

import pytest

from kfront.utils import file_utils, get_file
from loopback_server import LoopbackServer

PAYLOAD = bytes(range(256)) * 300  # 76.8 kB: several read chunks


@pytest.fixture
def server():
    with LoopbackServer() as s:
        s.files["/data.bin"] = PAYLOAD
        yield s


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KFRONT_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(file_utils, "RETRY_WAIT_SECONDS", 0.0)
    return tmp_path / "home"


def _listing(folder):
    return sorted(os.listdir(folder))


def test_download_caches_under_kfront_home(server, home):
    sha = hashlib.sha256(PAYLOAD).hexdigest()
    path = get_file("data.bin", server.url + "/data.bin", file_hash=sha)
    assert path == str(home / "datasets" / "data.bin")
    assert open(path, "rb").read() == PAYLOAD
    assert get_file("data.bin", server.url + "/data.bin", file_hash=sha) == path
    assert len(server.requests) == 1  # served from the cache the second time
    get_file("data.bin", server.url + "/data.bin", force_download=True)
    assert len(server.requests) == 2
    # fname defaults to the URL's last path part; cache_dir and cache_subdir choose the folder.
    other = get_file(origin=server.url + "/data.bin", cache_dir=str(home / "c"),
                     cache_subdir="sub", md5_hash=hashlib.md5(PAYLOAD).hexdigest())
    assert other == str(home / "c" / "sub" / "data.bin")


def test_checksum_mismatch_removes_the_file(server, home):
    with pytest.raises(ValueError, match="corrupted file downloaded from .*data.bin: its sha256 "
                                         "hash is [0-9a-f]{64}, expected 0{64}. The file was "
                                         "removed"):
        get_file("data.bin", server.url + "/data.bin", file_hash="0" * 64)
    assert _listing(home / "datasets") == []
    with pytest.raises(ValueError, match="its md5 hash"):
        get_file("data.bin", server.url + "/data.bin", file_hash="0" * 32)
    assert _listing(home / "datasets") == []


def test_stale_cached_file_is_downloaded_again(server, home):
    (home / "datasets").mkdir(parents=True)
    (home / "datasets" / "data.bin").write_bytes(b"old")
    path = get_file("data.bin", server.url + "/data.bin",
                    file_hash=hashlib.md5(PAYLOAD).hexdigest(), hash_algorithm="md5")
    assert open(path, "rb").read() == PAYLOAD


def test_a_cut_connection_resumes_with_a_range_request(server, home):
    server.truncate_next["/data.bin"] = 1000
    path = get_file("data.bin", server.url + "/data.bin",
                    file_hash=hashlib.sha256(PAYLOAD).hexdigest())
    assert open(path, "rb").read() == PAYLOAD
    assert server.requests == [("/data.bin", None), ("/data.bin", "bytes=1000-")]


def test_offline_error_says_where_to_put_the_file(home):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(OSError, match=r"Could not download .*place it at .*datasets/x\.npz"):
        get_file("x.npz", f"http://127.0.0.1:{port}/x.npz")
    assert _listing(home / "datasets") == []


def test_missing_file_is_not_retried(server, home):
    with pytest.raises(OSError, match="HTTP 404"):
        get_file("nope.bin", server.url + "/nope.bin")
    assert len(server.requests) == 1
    assert _listing(home / "datasets") == []


def _tar(members, links=()):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in links:
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
    return buffer.getvalue()


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_extract_tar_and_zip_with_keras_folder_names(server, home):
    server.files["/a.tar.gz"] = _tar({"top/one.txt": b"1", "top/sub/two.txt": b"2"},
                                     links=[("top/alias.txt", "one.txt")])
    server.files["/b.zip"] = _zip({"z/three.txt": b"3"})
    folder = get_file("a.tar.gz", server.url + "/a.tar.gz", extract=True)
    assert folder == str(home / "datasets" / "a_extracted")
    assert open(os.path.join(folder, "top", "sub", "two.txt")).read() == "2"
    assert open(os.path.join(folder, "top", "alias.txt")).read() == "1"
    folder = get_file("bdir", server.url + "/b.zip", extract=True)
    assert folder == str(home / "datasets" / "bdir")
    assert open(os.path.join(folder, "z", "three.txt")).read() == "3"
    assert _listing(home / "datasets") == ["a.tar.gz", "a_extracted", "bdir", "bdir_archive"]


@pytest.mark.parametrize("archive,match", [
    (lambda: _tar({"../evil.txt": b"x"}), "Refusing to extract '../evil.txt'"),
    (lambda: _tar({"/abs/evil.txt": b"x"}), "Refusing to extract '/abs/evil.txt'"),
    (lambda: _tar({}, links=[("out", "../../etc/passwd")]), "Refusing to extract link 'out'"),
    (lambda: _tar({}, links=[("abs", "/etc/passwd")]), "Refusing to extract link 'abs'"),
    (lambda: _zip({"../evil.txt": b"x"}), "Refusing to extract '../evil.txt'"),
])
def test_archives_escaping_their_folder_are_refused(server, home, archive, match):
    server.files["/bad.arc"] = archive()
    with pytest.raises(ValueError, match=match):
        get_file("bad", server.url + "/bad.arc", extract=True)
    assert not (home / "datasets" / "bad").exists()
    assert not (home / "evil.txt").exists() and not (home / "datasets" / "evil.txt").exists()
    assert [n for n in _listing(home / "datasets") if n.startswith(".extract")] == []


def test_argument_errors(home):
    with pytest.raises(ValueError, match='specify the "origin"'):
        get_file("x")
    with pytest.raises(ValueError, match="`fname` must be a file name, not a path"):
        get_file("a/b.npz", "http://127.0.0.1:9/b.npz")
    with pytest.raises(ValueError, match="`hash_algorithm` must be 'auto', 'sha256' or 'md5'"):
        get_file("b.npz", "http://127.0.0.1:9/b.npz", hash_algorithm="sha1")
