"""Safe file access: atomic writes, zip members read by exact name, size limits."""
import hashlib
import os
import re
import socket
import tempfile
import time
import zipfile

# No single archive member or tensor may claim more than this many bytes.
MAX_MEMBER_BYTES = 8 * 1024 ** 3


def atomic_write(path, write_fn):
    """Calls ``write_fn(file)`` on a temporary file next to ``path``, then renames it over
    ``path``: a crash or a full disk leaves any previous file intact."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    clear_stale_temporaries(directory)
    fd, tmp = tempfile.mkstemp(prefix=f".kfront-{_HOST}-{os.getpid()}-", suffix=".tmp",
                               dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            write_fn(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_own_file(path):
    """The bytes of the regular file at ``path``, or None when there is none. A symbolic link
    there is not followed (None too): whoever planted it must not choose what we read."""
    try:
        fd = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        if os.path.islink(path):
            return None
        raise
    with os.fdopen(fd, "rb") as f:
        return f.read()


def atomic_copy(src, dst):
    """Copies ``src`` over ``dst`` with ``atomic_write``: a link at either path is never
    followed (``shutil.copyfile`` would write through one planted at ``dst``)."""
    data = read_own_file(src)
    if data is None:
        raise FileNotFoundError(f"No regular file at {os.fspath(src)!r} to copy.")
    atomic_write(dst, lambda f: f.write(data))


# Temporaries are named `.kfront-<host>-<pid>-<random>.tmp` (older releases wrote
# `.kfront-<random>.tmp`): the writer's host and pid tell a later save whether it is gone.
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_TEMPORARY = re.compile(r"\.kfront-(?:([0-9a-f]{8})-([0-9]+)-)?[a-z0-9_]+\.tmp")
# A temporary untouched this long is abandoned whoever wrote it: a live writer streams into
# it (each write moves its mtime) and renames it within moments of the last write.
STALE_AFTER_SECONDS = 24 * 3600


def _pid_is_dead(pid):
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False  # alive under another user, or unknowable: keep the file
    return False


def clear_stale_temporaries(directory):
    """Removes ``.kfront-*.tmp`` files that a killed save left in ``directory``.

    A temporary is removed only when its writer cannot still be writing it: its name says
    it was written on this host by a pid that no longer exists, or it has not been modified
    for ``STALE_AFTER_SECONDS``. A concurrent writer's file is therefore kept: its pid is
    alive (a dead writer's pid reused by a new process only keeps a file longer), files from
    other hosts on a shared folder are judged by age alone, and a live write touches the
    file far more often than once a day. Errors are ignored: cleaning is best effort.
    """
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            host, pid = match.group(1), match.group(2)
            dead = host == _HOST and pid is not None and int(pid) != os.getpid() \
                and _pid_is_dead(int(pid))
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_SECONDS
            if dead or old:
                os.unlink(entry.path)
        except (OSError, ValueError):
            continue


def check_member_names(names, path):
    """Refuses archives with member names that could point outside a folder."""
    seen = set()
    for name in names:
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":") \
                or "\x00" in name:
            raise ValueError(f"Unsafe member name {name!r} in archive {path!r}: absolute paths "
                             "and '..' are refused.")
        if name in seen:
            raise ValueError(f"Archive {path!r} has the member {name!r} twice.")
        seen.add(name)


class Archive:
    """A read-only view of a ``.kfront``/``.keras`` zip: members read by exact name, into
    memory, never extracted."""

    def __init__(self, path):
        self.path = os.fspath(path)
        try:
            self._zip = zipfile.ZipFile(self.path, "r")
        except zipfile.BadZipFile as e:
            raise ValueError(f"File {self.path!r} is not a valid .kfront/.keras archive (not a "
                             f"zip file): {e}") from None
        check_member_names(self._zip.namelist(), self.path)

    def names(self):
        return self._zip.namelist()

    def has(self, name):
        return name in self._zip.NameToInfo

    def read(self, name, limit=MAX_MEMBER_BYTES):
        if not self.has(name):
            raise ValueError(f"Archive {self.path!r} has no member {name!r} (members: "
                             f"{self.names()[:10]}).")
        info = self._zip.getinfo(name)
        if info.file_size > limit:
            raise ValueError(f"Member {name!r} of {self.path!r} claims {info.file_size} bytes, "
                             f"more than the limit of {limit}.")
        from kfront.saving import load_limits
        load_limits.check_member(name, info.file_size, info.compress_size, repr(self.path))
        with self._zip.open(info) as f:
            data = f.read(info.file_size + 1)
        if len(data) != info.file_size:
            raise ValueError(f"Member {name!r} of {self.path!r} is truncated or corrupt.")
        return data

    def close(self):
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def write_archive(path, members):
    """Writes ``{name: bytes}`` as a zip, atomically. JSON members are deflated; the rest
    (weights: float arrays that barely compress) are stored, as Keras stores them, which
    keeps saving a large model from spending most of its time in zlib."""
    def write(f):
        with zipfile.ZipFile(f, "w") as z:
            for name, data in members.items():
                z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED
                           if name.endswith(".json") else zipfile.ZIP_STORED)
    atomic_write(path, write)
