"""`parley train`: rebuild the shipped triage models from the shared data (needs the train extra)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parley.triage.linear import MODELS_DIR

DEFAULT_DATA = Path(settings.BASE_DIR).parent.parent / "shared" / "data"


class Command(BaseCommand):
    help = "Train the triage models from the shared data sets, print dev metrics and write the model files."

    def add_arguments(self, parser):
        parser.add_argument("--data", default=os.environ.get("PARLEY_TRAIN_DATA", str(DEFAULT_DATA)),
                            help="Folder of the training data (default: ../shared/data beside the checkout).")
        parser.add_argument("--profile", choices=("fast", "accurate", "all"), default="all")
        parser.add_argument("--out", default=None, help="Write here instead of the shipped models folder.")
        parser.add_argument("--limit", type=int, default=None, help="Read at most N rows of each source (a quick trial).")
        parser.add_argument("--tune", action="store_true",
                            help="accurate profile (its default): fine-tune the encoder's top layers on the training "
                                 "splits first (lower layers cached once; about 25 minutes on 2 CPU cores). With --encoder DIR: "
                                 "tune into DIR when it has no encoder.onnx yet (tuned-on.json lists the texts), or reuse "
                                 "the tuned encoder there, leaving the posts it was tuned on out of every figure.")
        parser.add_argument("--no-tune", action="store_true",
                            help="accurate profile: use MiniLM frozen, as published (the models shipped before "
                                 "2026-11-23's tuned encoder)")
        parser.add_argument("--tune-layers", type=int, default=None, metavar="N",
                            help="with --tune: how many of the encoder's top layers to tune (default 3 of 6; the "
                                 "lower ones are frozen and their output cached once)")
        parser.add_argument("--tune-rows", type=int, default=None, metavar="N",
                            help="with --tune: at most N training rows a task (default 4500)")
        parser.add_argument("--tune-epochs", type=float, default=None, metavar="X",
                            help="with --tune: passes over the tuning rows (default 1; fractions allowed)")
        parser.add_argument("--encoder", default=None,
                            help="accurate profile: use the encoder.onnx and tokenizer.json in this folder as they are "
                                 "(e.g. the shipped models folder) instead of exporting MiniLM again (no torch needed).")
        parser.add_argument("--embeddings-cache", default=None,
                            help="accurate profile: an .npz of sentence embeddings kept between runs (read when "
                                 "present, rewritten with new texts); only valid for the same --encoder.")
        parser.add_argument("--encoder-threads", type=int, default=None, metavar="N",
                            help="accurate profile: onnxruntime threads while embedding the training texts (default: "
                                 "onnxruntime's choice, all cores). 1 gives the same vectors for half the CPU time "
                                 "when other jobs share the cores.")
        parser.add_argument("--heads", default="",
                            help="Refit only these heads (comma-separated, e.g. emotion,intent) over the vocabulary "
                                 "and encoder of the models in --base; the other heads are kept as they are.")
        parser.add_argument("--base", default=None,
                            help="With --heads: the models folder to start from (default: the shipped models).")
        parser.add_argument("--with-corrections", action="store_true",
                            help="Add agents' triage corrections from the database to the training data.")

    def handle(self, *args, **opts):
        try:
            from parley.triage.training.fit import save, train
            from parley.triage.training.heads import HEADS
        except ImportError as exc:  # pragma: no cover
            raise CommandError(f"training needs the train extra: pip install 'parley[train]' ({exc})") from exc
        tune_settings = self._tune_settings(opts)
        data = Path(opts["data"])
        if not data.is_dir():
            raise CommandError(f"training data folder {data} does not exist (use --data)")
        extra = self._corrections() if opts["with_corrections"] else None
        profiles = ("fast", "accurate") if opts["profile"] == "all" else (opts["profile"],)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d")
        for profile in profiles:
            out = Path(opts["out"]) / profile if opts["out"] else MODELS_DIR / profile
            before = self._metrics(MODELS_DIR / profile)  # the models in use now
            heads, base = HEADS, None
            if opts["heads"]:
                wanted = [h.strip() for h in opts["heads"].split(",") if h.strip()]
                unknown = sorted(set(wanted) - {p.name for p in HEADS})
                if unknown:
                    raise CommandError(f"unknown heads: {', '.join(unknown)} (one of: {', '.join(p.name for p in HEADS)})")
                heads = tuple(p for p in HEADS if p.name in wanted)
                base = Path(opts["base"]) / profile if opts["base"] else MODELS_DIR / profile
            try:
                trained = train(data, profile, limit=opts["limit"], extra=extra, log=self.stdout.write, heads=heads,
                                base=base,
                                tune=False if opts["no_tune"] else (True if opts["tune"] else None),
                                tune_settings=tune_settings,
                                encoder_dir=Path(opts["encoder"]) if opts["encoder"] else None,
                                embeddings_cache=Path(opts["embeddings_cache"]) if opts["embeddings_cache"] else None,
                                encoder_threads=opts["encoder_threads"])
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            version = f"{profile}-{stamp}" + ("+corrections" if extra else "")
            save(trained, out, version)
            if trained.encoder_is_temporary:
                shutil.rmtree(trained.encoder_dir, ignore_errors=True)
            self.stdout.write(f"[{profile}] wrote {out} (version {version}) in {trained.seconds:.0f} s")
            if before:
                self._compare(profile, before, trained.metrics)

    def _tune_settings(self, opts):
        """TuneSettings from --tune-layers/--tune-rows/--tune-epochs (None: the defaults); checked before any work."""
        chosen = {field: opts[option] for option, field in
                  (("tune_layers", "tuned_layers"), ("tune_rows", "task_rows"), ("tune_epochs", "epochs"))
                  if opts.get(option) is not None}
        if opts["tune"] and opts["no_tune"]:
            raise CommandError("--tune and --no-tune contradict each other")
        if not chosen:
            return None
        if opts["no_tune"]:
            raise CommandError("--tune-layers, --tune-rows and --tune-epochs cannot go with --no-tune")
        if opts["profile"] == "fast":
            raise CommandError("--tune applies to the accurate profile only")
        from parley.triage.training.finetune import settings_from

        try:
            return settings_from(**chosen)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _corrections(self):
        from parley.triage.models import TriageCorrection
        from parley.triage.training.corrections import as_splits

        rows = TriageCorrection.objects.select_related("post").order_by("created_at", "id")
        splits = as_splits((c.post.text, c.field, c.new_value) for c in rows)
        total = sum(len(s) for s in splits.values())
        self.stdout.write(f"adding {total} corrected labels: " + (", ".join(f"{k} {len(v)}" for k, v in splits.items()) or "none"))
        return splits

    def _metrics(self, folder: Path) -> dict:
        try:
            return json.loads((folder / "manifest.json").read_text()).get("metrics", {})
        except (OSError, ValueError):
            return {}

    def _compare(self, profile: str, before: dict, after: dict) -> None:
        self.stdout.write(f"[{profile}] dev metrics before -> after:")
        for head, now in after.items():
            key = "macro_recall" if head == "sentiment" else "macro_f1"
            old = before.get(head, {}).get(key)
            old_text = f"{old:.3f}" if isinstance(old, (int, float)) else "n/a"
            self.stdout.write(f"  {head:<10} {key} {old_text} -> {now[key]:.3f}")
