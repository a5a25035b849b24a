"""``RemoteMonitor``: posts each epoch's logs to an HTTP server."""
import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from kfront.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """At each epoch's end, POSTs ``{"epoch": i, **logs}`` to ``root + path``: as a form
    field ``field`` holding JSON, or as a JSON body when ``send_as_json``. Uses the
    standard library (no ``requests`` needed).

    Args:
        root: the server's root URL (http or https).
        path: the path appended to ``root``.
        field: the form field holding the JSON-encoded logs.
        headers: extra HTTP headers (a dict).
        send_as_json: send the logs as an ``application/json`` body.
        timeout: seconds to wait for the server before giving up on an epoch.
    """

    # Writes files or prints: in a multi-process job only process 0 runs it.
    _chief_only = True

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/",
                 field="data", headers=None, send_as_json=False, timeout=5.0):
        super().__init__()
        scheme = urllib.parse.urlparse(str(root)).scheme
        if scheme not in ("http", "https"):
            raise ValueError(f"RemoteMonitor `root` must be an http:// or https:// URL. "
                             f"Received: root={root!r}")
        self.root = root
        self.path = path
        self.field = field
        self.headers = dict(headers or {})
        self.send_as_json = send_as_json
        self.timeout = timeout

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for k, v in (logs or {}).items():
            send[k] = v.item() if isinstance(v, (np.ndarray, np.generic)) else v
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            content_type = "application/json"
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            content_type = "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, **self.headers}
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as e:
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root} "
                          f"({getattr(e, 'reason', e)}).", stacklevel=2)
