"""``get_file``: download a file once into a local cache, verify it, optionally extract it.

The cache lives in ``~/.kfront`` (or ``$KFRONT_HOME``). A download goes to a temporary file
next to its target and is renamed into place only once complete and verified, so the cache
never holds a partial or corrupt file. Archives are extracted into a temporary folder, member
by member after a check that no member escapes it, then renamed into place.
"""
import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

# Attempts per download; each retry resumes where the last one stopped when the server
# honours byte ranges.
DOWNLOAD_ATTEMPTS = 3
RETRY_WAIT_SECONDS = 0.5
_CHUNK = 1 << 16


def kfront_home():
    """The cache root: ``$KFRONT_HOME``, else ``~/.kfront``."""
    return os.environ.get("KFRONT_HOME") or os.path.join(os.path.expanduser("~"), ".kfront")


def resolve_hasher(algorithm, file_hash=None):
    """A hashlib object for "sha256", "md5" or "auto" (sha256 for a 64-digit hash, else md5)."""
    if algorithm not in ("auto", "sha256", "md5"):
        raise ValueError(f"`hash_algorithm` must be 'auto', 'sha256' or 'md5', received "
                         f"{algorithm!r}.")
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None
                                 and len(file_hash) == 64):
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath, algorithm="sha256", chunk_size=_CHUNK):
    """The hex digest of a file ("sha256", "md5", or a hashlib object)."""
    hasher = resolve_hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK):
    """Whether the file's hash equals ``file_hash``."""
    digest = hash_file(fpath, resolve_hasher(algorithm, file_hash), chunk_size)
    return digest == str(file_hash).lower()


def _cache_dir(cache_dir, cache_subdir):
    base = os.path.expanduser(cache_dir) if cache_dir else kfront_home()
    os.makedirs(base, exist_ok=True)
    if not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".kfront")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    return datadir


def _fetch(origin, partial):
    """Appends the bytes of ``origin`` that ``partial`` lacks; True when it holds them all."""
    have = os.path.getsize(partial)
    request = urllib.request.Request(origin, headers={"User-Agent": "kfront"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    with urllib.request.urlopen(request, timeout=30) as response:
        if have and response.status != 206:
            have = 0  # the server ignored the range: start over
        length = response.headers.get("Content-Length")
        expected = have + int(length) if length is not None else None
        with open(partial, "ab" if have else "wb") as out:
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                out.write(chunk)
    return expected is None or os.path.getsize(partial) >= expected


def _download(origin, target):
    """Downloads ``origin`` to ``target + ".part"`` with retries; returns that path."""
    partial = target + ".part"
    open(partial, "wb").close()
    last_error = None
    for attempt in range(DOWNLOAD_ATTEMPTS):
        try:
            if _fetch(origin, partial):
                return partial
            last_error = "the connection closed before the end of the file"
        except urllib.error.HTTPError as e:
            last_error = f"HTTP {e.code} {e.reason}"
            if 400 <= e.code < 500 and e.code != 416:
                break  # the file is not there: retrying will not help
        except (urllib.error.URLError, OSError) as e:
            last_error = getattr(e, "reason", None) or e
        if attempt + 1 < DOWNLOAD_ATTEMPTS:
            time.sleep(RETRY_WAIT_SECONDS)
    _remove(partial)
    raise OSError(
        f"Could not download {origin}: {last_error}. If this machine is offline, download the "
        f"file on another machine and place it at {target} (the cache directory is "
        "$KFRONT_HOME or ~/.kfront; `cache_dir=` overrides it)."
    )


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def _inside(base, name):
    """Whether archive member ``name`` stays inside ``base`` once joined to it. Judged on the
    name alone (``realpath`` can be fooled by paths longer than the system's limit)."""
    if os.path.isabs(name) or name.startswith(("/", "\\")) or "\x00" in name:
        return False
    return _walk(name.replace("\\", "/"), [], set()) is not None


def _walk(path, start, links):
    """The components of ``path`` followed from ``start`` (a list of components), or None if
    it leaves the base folder or passes through one of ``links`` (members that are links:
    where a link leads is only known lexically if no other link is on the way)."""
    parts = list(start)
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(part)
        if "/".join(parts) in links:
            return None
    return parts


def _check_tar_members(archive, base):
    """Refuses members written outside the folder, links that lead out of it (or through
    another link), members under a link, and devices or pipes."""
    links = set()
    for member in archive.getmembers():
        name = member.name.replace("\\", "/").rstrip("/")
        if not _inside(base, member.name) or _walk(name, [], links) is None:
            raise ValueError(f"Refusing to extract {member.name!r}: the archive member would "
                             "be written outside the extraction folder (or through a link).")
        if member.issym() or member.islnk():
            parent = name.split("/")[:-1] if member.issym() else []
            target = member.linkname.replace("\\", "/")
            if os.path.isabs(member.linkname) or target.startswith("/") or \
                    _walk(target, parent, links) is None:
                raise ValueError(f"Refusing to extract link {member.name!r} -> "
                                 f"{member.linkname!r}: it points outside the extraction "
                                 "folder (or through another link).")
            links.add("/".join(_walk(name, [], set())))
        elif not (member.isfile() or member.isdir()):
            raise ValueError(f"Refusing to extract {member.name!r}: devices and pipes are not "
                             "allowed in a dataset archive.")


def _extract(path, destination, archive_format):
    """Extracts a tar or zip archive into ``destination`` (atomically); False when ``path``
    is none of the accepted formats."""
    formats = ["tar", "zip"] if archive_format == "auto" else \
        [archive_format] if isinstance(archive_format, str) else list(archive_format or [])
    for fmt in formats:
        if fmt not in ("tar", "zip"):
            raise ValueError(f"`archive_format` must be 'auto', 'tar', 'zip' or a list of "
                             f"them, received {archive_format!r}.")
    parent = os.path.dirname(destination)
    for fmt in formats:
        if fmt == "tar" and tarfile.is_tarfile(path):
            opener = tarfile.open
        elif fmt == "zip" and zipfile.is_zipfile(path):
            opener = zipfile.ZipFile
        else:
            continue
        staging = tempfile.mkdtemp(prefix=".extract-", dir=parent)
        base = os.path.realpath(staging)
        try:
            with opener(path) as archive:
                if fmt == "tar":
                    _check_tar_members(archive, base)
                    kwargs = {"filter": "data"} if sys.version_info >= (3, 11, 4) else {}
                    archive.extractall(staging, **kwargs)
                else:
                    for name in archive.namelist():
                        if not _inside(base, name):
                            raise ValueError(f"Refusing to extract {name!r}: the archive "
                                             "member would be written outside the "
                                             "extraction folder.")
                    archive.extractall(staging)
            _remove(destination)
            os.replace(staging, destination)
        except BaseException:
            _remove(staging)
            raise
        return True
    return False


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """Downloads a file from a URL unless it is already in the cache; returns its path.

    Args:
        fname: the file name in the cache (default: the last part of ``origin``'s path).
            Names only: use ``cache_dir`` to choose the folder.
        origin: the URL of the file.
        untar: deprecated, same as ``extract=True`` with ``archive_format="tar"``.
        md5_hash: deprecated, same as ``file_hash`` with ``hash_algorithm="md5"``.
        file_hash: the expected sha256 or md5 hex digest. A cached file that does not match
            is downloaded again; a download that does not match is deleted and refused.
        cache_subdir: the folder under the cache directory (an absolute path is used as is).
        hash_algorithm: "auto" (by hash length), "sha256" or "md5".
        extract: extract the tar/zip archive and return the folder it was extracted into.
        archive_format: "auto", "tar", "zip", or a list of them.
        cache_dir: the cache directory (default ``$KFRONT_HOME`` or ``~/.kfront``).
        force_download: download even when the file is cached.

    As in Keras 3, with ``extract=True`` a ``fname`` with a dot ("data.tar.gz") is extracted
    into ``data_extracted/``; one without ("data") downloads to ``data_archive`` and is
    extracted into ``data/``.

    >>> path = kfront.utils.get_file("mnist.npz",
    ...     origin="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz")
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    resolve_hasher(hash_algorithm, file_hash)
    datadir = _cache_dir(cache_dir, cache_subdir)
    provided = fname is not None
    fname = os.fspath(fname) if provided else \
        os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"Can't parse the file name from the origin {origin!r}; pass `fname`.")
    if os.sep in fname or "/" in fname or fname in (".", ".."):
        raise ValueError("`fname` must be a file name, not a path (use `cache_dir` to choose "
                         f"the folder). Received: fname={fname!r}")
    extract = extract or untar
    if untar:
        archive_format = "tar"
    if extract:
        if provided and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, fname[:fname.find(".")] + "_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, fname + "_archive")
    else:
        target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and \
            not validate_file(target, file_hash, hash_algorithm):
        print(f"A local file was found at {target}, but its {hash_algorithm} hash does not "
              f"match {file_hash}: downloading it again.")
        download = True
    if download:
        print(f"Downloading data from {origin}")
        partial = _download(origin, target)
        if file_hash is not None and not validate_file(partial, file_hash, hash_algorithm):
            actual = hash_file(partial, resolve_hasher(hash_algorithm, file_hash))
            _remove(partial)
            raise ValueError(
                f"Incomplete or corrupted file downloaded from {origin}: its "
                f"{resolve_hasher(hash_algorithm, file_hash).name} hash is {actual}, expected "
                f"{file_hash}. The file was removed."
            )
        os.replace(partial, target)
    if extract:
        if download or not os.path.isdir(extraction_dir):
            if not _extract(target, extraction_dir, archive_format):
                raise ValueError(f"Could not extract {target}: it is not a "
                                 f"{archive_format} archive.")
        return extraction_dir
    return target
