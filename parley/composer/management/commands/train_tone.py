"""`parley train_tone`: rebuild the learned tone model (parley/composer/guardrails/models_data/tone.npz)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Train the tone guardrail's sentence classifier (needs scikit-learn: pip install 'parley[train]')."

    def add_arguments(self, parser):
        default = Path(settings.BASE_DIR).parent.parent / "shared" / "data"
        parser.add_argument("--data", default=str(default),
                            help="../shared/data with twcs-labelled and ibm-twitter-customer-care (optional)")
        parser.add_argument("--out", default="", help="where to write tone.npz (default: the shipped model)")
        parser.add_argument("--target-false-alarms", type=float, default=0.005)
        parser.add_argument("--cache", default="", help="an .npz to keep sentence embeddings between runs")
        parser.add_argument("--own-only", action="store_true",
                            help="train on Parley's own sentences alone, without the brands' real replies")

    def handle(self, *args, **options):
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise CommandError("train_tone needs scikit-learn: pip install 'parley[train]'") from None
        from parley.composer.guardrails.tone_model import HEAD_FILE
        from parley.composer.tone_train import train

        data = None if options["own_only"] else Path(options["data"])
        if data is not None and not (data / "twcs-labelled").is_dir():
            # A mistyped path must not silently replace the shipped model with a weaker one.
            raise CommandError(f"{data}: no twcs-labelled folder. Point --data at ../shared/data, or pass "
                               "--own-only to train on Parley's own sentences alone")
        try:
            from tqdm import tqdm
            progress = lambda it: tqdm(it, desc="embedding", unit="batch")  # noqa: E731
        except ImportError:
            progress = lambda it: it  # noqa: E731
        summary = train(data, Path(options["out"]) if options["out"] else HEAD_FILE,
                        target_fa=options["target_false_alarms"], progress=progress,
                        cache=Path(options["cache"]) if options["cache"] else None)
        self.stdout.write(json.dumps(summary, indent=2))
