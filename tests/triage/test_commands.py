"""`parley classify`, `parley triage` and a tiny `parley train`."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from parley.triage.pipeline import FIELDS
from tests.conftest import shared_path


def run_classify(tmp_path, name, content, *extra):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    err = StringIO()
    call_command("classify", "--in", str(source), "--out", str(out), "--no-progress", *extra, stderr=err)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return rows, err.getvalue()


def test_classify_json_lines_keeps_input_fields_and_reports_malformed_lines(tmp_path):
    content = "\n".join([
        json.dumps({"id": "a1", "text": "where is my order?", "lang_hint": "en"}),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps(["a list"]),
        json.dumps({"id": "a3", "text": 42}),
        "",
        json.dumps({"id": "a4", "text": ""}),
        json.dumps({"text": "love this brand 😍", "triage": "old value is replaced"}),
    ]) + "\n"
    rows, err = run_classify(tmp_path, "in.jsonl", content, "--profile", "fast")
    assert [r.get("id") for r in rows] == ["a1", "a4", None]
    assert rows[0]["lang_hint"] == "en" and rows[0]["text"] == "where is my order?"
    assert set(FIELDS) <= set(rows[0]["triage"])
    assert rows[0]["triage"]["status"] == "triaged"
    assert rows[1]["triage"]["status"] == "not_triaged"
    assert isinstance(rows[2]["triage"], dict)
    for line in ("line 2: skipped: not valid JSON", "line 3: skipped: no 'text' field",
                 "line 4: skipped: not a JSON object", "line 5: skipped: 'text' is not a string"):
        assert line in err
    assert "classified 3 posts, skipped 4 malformed lines" in err


def test_classify_csv_with_quoted_newlines(tmp_path):
    buf = StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "text", "channel"])
    writer.writerow(["1", "my refund\nnever came", "x"])
    writer.writerow(["2", "thanks a lot!", "facebook"])
    rows, err = run_classify(tmp_path, "in.csv", buf.getvalue())
    assert [(r["id"], r["channel"]) for r in rows] == [("1", "x"), ("2", "facebook")]
    assert rows[0]["triage"]["complaint"] > rows[1]["triage"]["complaint"]


def test_classify_csv_with_a_byte_order_mark(tmp_path):
    rows, _ = run_classify(tmp_path, "in.csv", "\ufeffid,text\n7,where is my parcel?\n")
    assert rows[0]["id"] == "7" and rows[0]["triage"]["status"] == "triaged"


def test_classify_csv_without_text_column_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no 'text' column"):
        run_classify(tmp_path, "in.csv", "id,body\n1,hello\n")


def test_classify_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("classify", "--in", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o.jsonl"))


def test_triage_prints_a_readable_result():
    out = StringIO()
    call_command("triage", "@acme my card 4111 1111 1111 1111 was charged twice, refund me!", stdout=out)
    text = out.getvalue()
    assert "intent" in text and "desired outcome" in text
    assert "card" in text and "ask the customer to remove it" in text


def test_triage_explains_why_it_did_not_triage():
    out = StringIO()
    call_command("triage", "¿Dónde está mi pedido? Nadie me responde", stdout=out)
    assert "not triaged: language 'es' is not covered" in out.getvalue()


def test_triage_json():
    out = StringIO()
    call_command("triage", "", "--json", stdout=out)
    assert json.loads(out.getvalue())["status"] == "not_triaged"


def test_tiny_training_run_with_corrections_writes_loadable_models(tmp_path, brand, channel, users):
    from parley.inbox.actions import ingest_post
    from parley.triage.models import TriageCorrection
    from tests.conftest import incoming

    data = shared_path("data")
    post = ingest_post(brand, channel, incoming("c1", "you never answer my DMs")).post
    TriageCorrection.objects.create(post=post, field="intent", old_value="chatter", new_value="complaint",
                                    user=users["care_agent"])
    out = StringIO()
    call_command("train", "--data", str(data), "--profile", "fast", "--limit", "300", "--out", str(tmp_path),
                 "--with-corrections", stdout=out)
    log = out.getvalue()
    assert "complaint" in log and "sentiment" in log and "wrote" in log
    assert "adding 1 corrected labels: intent 1" in log and "+corrections" in log
    assert "[fast] dev metrics before -> after:" in log and "sentiment  macro_recall 0." in log
    from parley.triage.linear import LinearModels
    from parley.triage.pipeline import Options, Triager

    models = LinearModels(tmp_path / "fast")
    manifest = json.loads((tmp_path / "fast" / "manifest.json").read_text())
    assert manifest["metrics"]["sentiment"]["rows"] == 300
    result = Triager(Options(profile="fast"), models=models).triage("my order never came")
    assert result["status"] == "triaged"
    # fear, disgust and surprise are trained, and measured on our written posts (grouped CV).
    assert {"fear", "disgust", "surprise"} <= set(manifest["heads"]["emotion"]["labels"])
    written = manifest["metrics"]["emotion"]["written_cv"]
    assert written["rows"] == 800 and 0 <= written["macro_f1_new_labels"] <= 1

    # Refitting one head over those models keeps the others as they were.
    refit = tmp_path / "refit"
    call_command("train", "--data", str(data), "--profile", "fast", "--limit", "300", "--heads", "emotion",
                 "--base", str(tmp_path), "--out", str(refit), stdout=StringIO())
    again = json.loads((refit / "fast" / "manifest.json").read_text())
    assert list(again["heads"]) == list(manifest["heads"])
    assert again["metrics"]["sentiment"] == manifest["metrics"]["sentiment"]
    assert (refit / "fast" / "head-sentiment.npz").read_bytes() == (tmp_path / "fast" / "head-sentiment.npz").read_bytes()
    assert (refit / "fast" / "vocabulary.npz").is_file() and "written_cv" in again["metrics"]["emotion"]
    assert Triager(Options(profile="fast"), models=LinearModels(refit / "fast")).triage("so scared")["status"] == "triaged"


def test_train_refuses_a_missing_data_folder(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("train", "--data", str(tmp_path / "none"), "--out", str(tmp_path))


def _tune_settings(*args):
    from parley.triage.management.commands.train import Command

    command = Command()
    return command._tune_settings(vars(command.create_parser("parley", "train").parse_args(list(args))))


def test_train_tuning_options_become_tune_settings():
    from parley.triage.training.finetune import TuneSettings

    assert _tune_settings() is None and _tune_settings("--tune") is None  # the defaults (the shipped recipe)
    assert TuneSettings() == TuneSettings(tuned_layers=3, task_rows=4500, epochs=1.0)
    chosen = _tune_settings("--tune", "--profile", "accurate", "--tune-layers", "3", "--tune-rows", "4500",
                            "--tune-epochs", "1.5")
    assert chosen == TuneSettings(tuned_layers=3, task_rows=4500, epochs=1.5)
    assert _tune_settings("--tune", "--tune-layers", "6") == TuneSettings(tuned_layers=6)
    assert _tune_settings("--tune-rows", "100") == TuneSettings(task_rows=100)  # accurate tunes by default


@pytest.mark.parametrize("args, message", [
    (("--no-tune", "--tune-layers", "3"), "cannot go with --no-tune"),
    (("--tune", "--no-tune"), "contradict"),
    (("--tune", "--tune-layers", "0"), "tuned layers must be 1 to 6, not 0"),
    (("--tune", "--tune-layers", "7"), "tuned layers must be 1 to 6, not 7"),
    (("--tune", "--tune-rows", "0"), "at least 1"),
    (("--tune", "--tune-epochs", "0"), "above 0"),
    (("--tune", "--profile", "fast", "--tune-layers", "2"), "accurate profile only"),
])
def test_train_refuses_tuning_options_that_cannot_work_before_reading_any_data(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):  # the data folder is missing too: the options are checked first
        call_command("train", "--data", str(tmp_path / "none"), "--out", str(tmp_path), *args)
