"""Parley's bundled demo: three invented brands and a week of social customer care.

- `brands`: the brands, their channels, teams and agents;
- `scenarios/`: the hand-written library of customer matters and brand voices;
- `generator.generate(now, seed, scale)`: a seeded, deterministic `DemoSet` (pure);
- `loader`: replays a `DemoSet` through ingestion and the inbox actions.

`parley demo` (parley/inbox/management/commands/demo.py) ties them together.
"""
