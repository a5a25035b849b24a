"""Safe file access: atomic writes, zip members read by exact name, size limits."""
import io
import os
import tempfile
import zipfile

# No single archive member or tensor may claim more than this many bytes.
MAX_MEMBER_BYTES = 8 * 1024 ** 3


def atomic_write(path, write_fn):
    """Calls ``write_fn(file)`` on a temporary file next to ``path``, then renames it over
    ``path``: a crash or a full disk leaves any previous file intact."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".kfront-", suffix=".tmp", dir=directory)
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
    """Writes ``{name: bytes}`` as a zip, atomically."""
    def write(f):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
        f.write(buffer.getvalue())
    atomic_write(path, write)
