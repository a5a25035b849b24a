"""RemoteMonitor: POSTs each epoch's logs to a loopback HTTP server."""
import http.server
import json
import socket
import threading
import urllib.parse

import pytest
from callback_helpers import make_data, make_model

from kfront.callbacks import RemoteMonitor


class _Recorder(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Content-Type"],
                                    self.headers.get("X-Run"), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.received = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.received
    httpd.shutdown()
    httpd.server_close()


def test_posts_form_field_then_json(server):
    root, received = server
    model = make_model()
    history = model.fit(*make_data(), batch_size=32, epochs=2, verbose=0,
                        callbacks=[RemoteMonitor(root=root, path="/epoch",
                                                 headers={"X-Run": "r1"})])
    assert [r[0] for r in received] == ["/epoch", "/epoch"]
    path, ctype, run, body = received[1]
    assert ctype == "application/x-www-form-urlencoded" and run == "r1"
    sent = json.loads(urllib.parse.parse_qs(body.decode())["data"][0])
    assert sent == {"epoch": 1, "loss": history.history["loss"][1]}
    RemoteMonitor(root=root, send_as_json=True).on_epoch_end(4, {"loss": 0.5})
    path, ctype, _, body = received[2]
    assert path == "/publish/epoch/end/" and ctype == "application/json"
    assert json.loads(body) == {"epoch": 4, "loss": 0.5}


def test_unreachable_server_warns_and_bad_root_is_refused():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port now
    monitor = RemoteMonitor(root=f"http://127.0.0.1:{port}", timeout=2)
    with pytest.warns(UserWarning, match=f"Could not reach RemoteMonitor root server at "
                                         f"http://127.0.0.1:{port}"):
        monitor.on_epoch_end(0, {"loss": 1.0})
    with pytest.raises(ValueError, match="must be an http:// or https:// URL"):
        RemoteMonitor(root="file:///etc/passwd")
