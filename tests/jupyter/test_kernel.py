"""radnomo's kernel under the Jupyter ecosystem's own client test suite (jupyter_kernel_test),
plus radnomo's own protocol checks. Run by tests/jupyter/run.sh."""
import hashlib
import hmac
import json
import time
import unittest
import uuid
from pathlib import Path

import jupyter_kernel_test
import nbformat
from nbclient import NotebookClient
import zmq
from jupyter_client.manager import start_new_kernel


class RadnomoKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "radnomo"
    language_name = "radnomo"
    file_extension = ".rad"

    # radnomo has no command that prints the user's own text, so the suite's "hello, world" and
    # stderr samples are left out; texts do go out as stdout/stderr streams (own test below).
    code_hello_world = None
    code_stderr = None
    completion_samples = [
        {"text": "desc", "matches": {"describe"}},
        {"text": "load coh", "matches": {"cohort"}},
    ]
    complete_code_samples = ["describe", "load cohort n=5", "fit grade+lnmri"]
    incomplete_code_samples = ["fit grade+", 'load table "demo', "describe columns=age,"]
    invalid_code_samples = ["fit = = ="]
    code_generate_error = "fit = = ="
    code_inspect_sample = "describe"
    code_history_pattern = "load*"
    supported_history_operations = ("tail", "search", "range")
    code_display_data = [
        {"code": "load table \"examples/data/demo.csv\" outcome=aln; describe", "mime": "text/html"},
        # State persists across cells: the table loaded above is still there.
        {"code": "plot age", "mime": "image/svg+xml"},
        {"code": "plot age", "mime": "image/png"},
    ]


class RadnomoOwnTests(unittest.TestCase):
    """What the suite does not cover: signatures, streams, rollback, interrupt, shutdown."""

    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name="radnomo")

    def tearDown(self):
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=60):
        messages = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=messages.append)
        return reply, messages

    def test_texts_are_streams_and_a_failing_cell_changes_nothing(self):
        reply, messages = self.run_cell('load table "examples/data/demo.csv" outcome=aln')
        self.assertEqual(reply["content"]["status"], "ok")
        streams = [m["content"] for m in messages if m["msg_type"] == "stream"]
        self.assertTrue(any("loaded" in s["text"] and s["name"] == "stdout" for s in streams), streams)
        reply, messages = self.run_cell("split by=nonexistent; fit age")
        self.assertEqual(reply["content"]["status"], "error")
        errors = [m for m in messages if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertIn("^", "\n".join(errors[0]["content"]["traceback"]))
        reply, _ = self.run_cell("describe columns=age")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_a_forged_message_is_dropped_and_the_kernel_still_answers(self):
        info = self.km.get_connection_info()
        context = zmq.Context.instance()
        socket = context.socket(zmq.DEALER)
        socket.connect(f"tcp://{info['ip']}:{info['shell_port']}")
        header = json.dumps({"msg_id": str(uuid.uuid4()), "session": "x", "username": "x", "date": "",
                             "msg_type": "execute_request", "version": "5.3"}).encode()
        parts = [header, b"{}", b"{}", json.dumps({"code": "describe", "silent": False}).encode()]
        forged = hmac.new(b"not the key", b"".join(parts), hashlib.sha256).hexdigest().encode()
        socket.send_multipart([b"<IDS|MSG>", forged] + parts)
        self.assertEqual(socket.poll(1000), 0, "a forged request was answered")
        socket.close()
        reply = self.kc.kernel_info(reply=True, timeout=10)
        self.assertEqual(reply["content"]["status"], "ok")

    def test_interrupt_stops_a_long_command_and_the_session_goes_on(self):
        self.run_cell("load cohort n=432 seed=2021")
        self.kc.execute("m = fit age+size_mm; calibrate m boot=100000")
        time.sleep(1.5)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=60)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("ancel", reply["content"]["evalue"] + reply["content"]["ename"])
        reply, _ = self.run_cell("describe columns=age")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_shutdown_ends_the_process(self):
        self.km.shutdown_kernel(now=False)
        self.assertFalse(self.km.is_alive())


NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


class NotebookTests(unittest.TestCase):
    """Every notebook in notebooks/ runs without an error, and is stored without outputs."""

    def test_there_are_notebooks(self):
        self.assertGreaterEqual(len(NOTEBOOKS), 3)

    def test_every_notebook_runs(self):
        for path in NOTEBOOKS:
            with self.subTest(notebook=path.name):
                notebook = nbformat.read(path, as_version=4)
                stored = [c for c in notebook.cells if c.cell_type == "code" and c.outputs]
                self.assertEqual(stored, [], f"{path.name} is stored with outputs")
                NotebookClient(
                    notebook,
                    kernel_name="radnomo",
                    timeout=900,
                    resources={"metadata": {"path": str(path.parent)}},
                ).execute()
                errors = [
                    output
                    for cell in notebook.cells
                    if cell.cell_type == "code"
                    for output in cell.outputs
                    if output.output_type == "error"
                ]
                self.assertEqual(errors, [], path.name)
