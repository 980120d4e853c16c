"""radnomo's kernel under the Jupyter ecosystem's own client test suite (jupyter_kernel_test),
plus radnomo's own protocol checks. Run by tests/jupyter/run.sh."""
import hashlib
import hmac
import json
import tempfile
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

    code_hello_world = 'print "hello, world"'
    # radnomo writes nothing to stderr: a warning is a display (RadnomoOwnTests checks it).
    code_clear_output = 'print "shown, then cleared"; clear'
    completion_samples = [
        {"text": "desc", "matches": {"describe"}},
        {"text": "load coh", "matches": {"cohort"}},
    ]
    complete_code_samples = ["describe", "load cohort n=5", "fit grade+lnmri"]
    incomplete_code_samples = ["fit grade+", 'load table "demo', "describe columns=age,"]
    invalid_code_samples = ["fit = = ="]
    code_generate_error = "fit = = ="
    code_inspect_sample = "describe"
    # A cell's value (Out[n]) is its last table or model; earlier tables and plots are displays.
    code_execute_result = [
        {"code": 'load table "examples/data/demo.csv" outcome=aln; describe columns=age', "mime": "text/html"},
        {"code": "fit age", "mime": "text/plain"},
    ]
    code_history_pattern = "fit a*"
    supported_history_operations = ("tail", "search", "range")
    code_display_data = [
        # describe's tables are displays; the last one is the cell's value (execute_result).
        {"code": 'load table "examples/data/demo.csv" outcome=aln; describe; describe columns=age', "mime": "text/html"},
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

    def test_the_editor_colours_radnomo_with_the_shell_mode(self):
        reply = self.kc.kernel_info(reply=True, timeout=10)
        info = reply["content"]["language_info"]
        self.assertEqual(
            (info["name"], info["mimetype"], info["codemirror_mode"], info["pygments_lexer"]),
            ("radnomo", "text/x-radnomo", "shell", "bash"),
        )

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

    def test_a_warning_is_a_labelled_note_not_an_error_stream(self):
        # One row of this table has no outcome: a data warning.
        reply, messages = self.run_cell('load table "tests/jupyter/unknown-outcome.csv" outcome=aln')
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertFalse([m for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"])
        notes = [m["content"]["data"] for m in messages if m["msg_type"] == "display_data"
                 and "radnomo-warning" in m["content"]["data"].get("text/html", "")]
        self.assertEqual(len(notes), 1, messages)
        self.assertIn("<b>Warning:</b> ", notes[0]["text/html"])
        self.assertTrue(notes[0]["text/plain"].startswith("warning: "), notes[0])

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

    def test_a_cells_value_is_its_execute_result_and_the_history_keeps_it(self):
        self.run_cell('load table "examples/data/demo.csv" outcome=aln')
        reply, messages = self.run_cell("describe columns=age; plot age; fit age")
        kinds = [m["msg_type"] for m in messages if m["msg_type"] != "status"]
        # describe's tables and the plot are displays; the model the cell ends with is its value.
        self.assertEqual((kinds[0], kinds[-1]), ("execute_input", "execute_result"), kinds)
        self.assertEqual(set(kinds[1:-1]), {"display_data"}, kinds)
        self.assertGreaterEqual(len(kinds), 4, kinds)
        result = [m["content"] for m in messages if m["msg_type"] == "execute_result"][0]
        self.assertEqual(result["execution_count"], reply["content"]["execution_count"])
        self.assertIn("age", result["data"]["text/plain"])
        self.assertIn("<table", result["data"]["text/html"])
        history = self.kc.history(hist_access_type="tail", n=1, output=True, raw=True, reply=True)
        [(_, count, (code, value))] = history["content"]["history"]
        self.assertEqual((count, code), (reply["content"]["execution_count"], "describe columns=age; plot age; fit age"))
        self.assertEqual(value, result["data"]["text/plain"])

    def test_a_long_command_shows_one_progress_bar_that_updates_and_says_where_it_stopped(self):
        self.run_cell("load cohort n=432 seed=2021")
        self.kc.execute("m = fit age+size_mm; calibrate m boot=100000")
        messages = []
        # Read the cell's messages until the bar has been shown and updated, then interrupt.
        while not any(m["msg_type"] == "update_display_data" for m in messages):
            messages.append(self.kc.get_iopub_msg(timeout=120))
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=60)
        self.assertEqual(reply["content"]["status"], "error")
        while messages[-1]["msg_type"] != "status" or messages[-1]["content"]["execution_state"] != "idle":
            messages.append(self.kc.get_iopub_msg(timeout=10))
        displays = [m["content"] for m in messages if m["msg_type"] == "display_data"]
        shown = [d for d in displays if d["transient"].get("display_id")]
        self.assertEqual(len(shown), 1, "one progress display")
        # The model `m` is shown before the bar: its statement came first.
        self.assertIn("size_mm", displays[0]["data"]["text/plain"])
        self.assertIs(displays[1], shown[0])
        display_id = shown[0]["transient"]["display_id"]
        self.assertIn("bootstrap calibration [", shown[0]["data"]["text/plain"])
        self.assertIn("<progress", shown[0]["data"]["text/html"])
        updates = [m["content"] for m in messages if m["msg_type"] == "update_display_data"]
        self.assertGreaterEqual(len(updates), 2)
        self.assertTrue(all(u["transient"]["display_id"] == display_id for u in updates))
        self.assertRegex(updates[-1]["data"]["text/plain"], r"^bootstrap calibration: stopped after \d+ of 100000$")
        self.assertEqual([m for m in messages if m["msg_type"] == "stream"], [], "no flood of stream lines")

    def test_shutdown_ends_the_process(self):
        self.km.shutdown_kernel(now=False)
        self.assertFalse(self.km.is_alive())


NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


class NotebookTests(unittest.TestCase):
    """Every notebook in notebooks/ runs without an error, and is stored without outputs."""

    def test_there_are_notebooks(self):
        self.assertGreaterEqual(len(NOTEBOOKS), 3)

    def test_every_notebook_runs(self):
        # Run in a scratch copy of the repository's layout, so what a notebook writes
        # (radnomo-out/) never lands in the repository.
        scratch = Path(tempfile.mkdtemp(prefix="radnomo-notebooks-"))
        (scratch / "notebooks").mkdir()
        (scratch / "tests").symlink_to(NOTEBOOKS[0].parents[1] / "tests")
        for path in NOTEBOOKS:
            with self.subTest(notebook=path.name):
                notebook = nbformat.read(path, as_version=4)
                stored = [c for c in notebook.cells if c.cell_type == "code" and c.outputs]
                self.assertEqual(stored, [], f"{path.name} is stored with outputs")
                NotebookClient(
                    notebook,
                    kernel_name="radnomo",
                    timeout=900,
                    resources={"metadata": {"path": str(scratch / "notebooks")}},
                ).execute()
                errors = [
                    output
                    for cell in notebook.cells
                    if cell.cell_type == "code"
                    for output in cell.outputs
                    if output.output_type == "error"
                ]
                self.assertEqual(errors, [], path.name)
