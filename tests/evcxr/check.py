"""radnomo's results in evcxr_jupyter: every cell's value must come back as one rich
execute_result holding all of its items (evcxr keeps one block per MIME type). Run by run.sh."""
import sys

from jupyter_client.manager import start_new_kernel

repository = sys.argv[1]
manager, client = start_new_kernel(kernel_name="rust", startup_timeout=120)


def execute(code, timeout):
    """The cell's execute_result data; fails on an error or a panic."""
    messages = []
    reply = client.execute_interactive(code, timeout=timeout, output_hook=messages.append)
    for message in messages:
        kind, content = message["msg_type"], message["content"]
        if kind == "error" or (kind == "stream" and "panicked" in content["text"]):
            raise AssertionError(f"{code!r}: {content}")
    assert reply["content"]["status"] == "ok", reply["content"]
    results = [m["content"]["data"] for m in messages if m["msg_type"] == "execute_result"]
    return results[-1] if results else None


try:
    # Compiling radnomo and its dependencies inside evcxr takes minutes.
    execute(f':dep radnomo = {{ path = "{repository}", features = ["evcxr"] }}', 1800)
    data = execute(
        'let mut session = radnomo::Session::new();\n'
        'session.execute("load cohort n=40 seed=7; describe columns=age").unwrap()',
        600,
    )
    assert sorted(data) == ["text/html", "text/plain"], sorted(data)
    assert "Patients by cohort and `aln`" in data["text/html"], "the first table kept"
    assert data["text/html"].count("<table") >= 3, data["text/html"][:400]

    data = execute('session.execute("fit grade+multifocal").unwrap()', 600)
    assert {"text/html", "text/markdown", "text/plain"} <= set(data), sorted(data)
    assert "Logistic regression: aln ~ grade + multifocal" in data["text/html"]

    data = execute('session.execute("roc grade").unwrap()', 600)
    assert "<svg" in data["text/html"], "the ROC curve inline"
    print("evcxr check: tables, a model and a plot shown as rich results in evcxr_jupyter")
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
