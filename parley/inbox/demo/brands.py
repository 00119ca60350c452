"""The three invented demo brands: channels, teams and agents.

The names are made up for the demo; any likeness to a real company is
accidental. Channel ids have each platform's shape but belong to nobody.
"""

from __future__ import annotations

from .script import AgentSpec, BrandSpec, ChannelSpec, TeamSpec

# Marks a brand as created by `parley demo`, so --reset never touches a real one.
DEMO_FLAG = "demo"


def _agents(key: str, rows) -> tuple[AgentSpec, ...]:
    return tuple(
        AgentSpec(f"{first.lower()}.{key}", first, last, role, tuple(teams), capacity)
        for first, last, role, teams, capacity in rows
    )


WREN = BrandSpec(
    slug="wren-and-loom",
    name="Wren & Loom",
    key="wren",
    industry="fashion",
    channels=(
        ChannelSpec("x", "1184739260", "WrenLoomHelp", "Wren & Loom Help"),
        ChannelSpec("facebook", "104839217734215", "wrenandloom", "Wren & Loom"),
        ChannelSpec("instagram", "17841405822947713", "wrenandloom", "Wren & Loom"),
        ChannelSpec("youtube", "UCq7JmW2Ls0KvR8nTb3xYpZg", "wrenandloom", "Wren & Loom"),
    ),
    teams=(
        TeamSpec("care", "Customer Care"),
        TeamSpec("returns", "Returns & Refunds"),
        TeamSpec("delivery", "Delivery"),
        TeamSpec("social", "Social & PR"),
    ),
    agents=_agents("wren", (
        ("Priya", "Natarajan", "admin", (), 10),
        ("Tom", "Ashworth", "supervisor", ("care", "social"), 15),
        ("Maya", "Kowalczyk", "agent", ("care", "returns"), 25),
        ("Leo", "Fairbanks", "agent", ("delivery", "care"), 25),
        ("Aisha", "Balogun", "agent", ("returns",), 20),
        ("Ben", "Okonjo", "agent", ("social", "care"), 20),
        ("Hana", "Sato", "agent", ("delivery",), 20),
        ("Grace", "Pennington", "viewer", (), 0),
    )),
    settings={DEMO_FLAG: True},
)

TIDEWIRE = BrandSpec(
    slug="tidewire",
    name="Tidewire",
    key="tidewire",
    industry="telco",
    channels=(
        ChannelSpec("x", "2931847562", "TidewireCare", "Tidewire Care"),
        ChannelSpec("facebook", "187264019938271", "tidewire", "Tidewire"),
        ChannelSpec("instagram", "17841401938475620", "tidewire", "Tidewire"),
        ChannelSpec("youtube", "UCz3PbQe8WnLr5Tk1YxV0dMa", "tidewire", "Tidewire"),
    ),
    teams=(
        TeamSpec("care", "Customer Care"),
        TeamSpec("billing", "Billing"),
        TeamSpec("technical", "Technical Support"),
        TeamSpec("social", "Social & PR"),
    ),
    agents=_agents("tidewire", (
        ("Owen", "Pritchard", "admin", (), 10),
        ("Rachel", "Adeyemi", "supervisor", ("care", "technical", "social"), 15),
        ("Sam", "Greaves", "agent", ("technical",), 25),
        ("Dev", "Malhotra", "agent", ("technical", "care"), 25),
        ("Lucy", "Harrington", "agent", ("billing",), 20),
        ("Kofi", "Asante", "agent", ("billing", "care"), 25),
        ("Mei", "Lin", "agent", ("care", "social"), 20),
        ("Jonas", "Weber", "agent", ("technical",), 20),
        ("Ellie", "Marsh", "viewer", (), 0),
    )),
    settings={DEMO_FLAG: True},
)

CRUMBTRAIL = BrandSpec(
    slug="crumbtrail",
    name="Crumbtrail",
    key="crumbtrail",
    industry="food",
    channels=(
        ChannelSpec("x", "1402938475610283009", "CrumbtrailHelp", "Crumbtrail Help"),
        ChannelSpec("facebook", "112938475610294", "crumbtrailapp", "Crumbtrail"),
        ChannelSpec("instagram", "17841448392017465", "crumbtrail.app", "Crumbtrail"),
        ChannelSpec("youtube", "UCm4Hx9Ra2TcLq0Wy7NfBe3K", "crumbtrail", "Crumbtrail"),
    ),
    teams=(
        TeamSpec("care", "Customer Care"),
        TeamSpec("orders", "Orders & Refunds"),
        TeamSpec("couriers", "Courier Ops"),
        TeamSpec("partners", "Restaurant Partners"),
        TeamSpec("trust", "Trust & Safety"),
    ),
    agents=_agents("crumbtrail", (
        ("Imogen", "Blake", "admin", (), 10),
        ("Marcus", "Oyelaran", "supervisor", ("care", "trust"), 15),
        ("Zoe", "Castellano", "agent", ("care", "orders"), 25),
        ("Ravi", "Menon", "agent", ("orders",), 25),
        ("Femi", "Adebayo", "agent", ("couriers", "care"), 20),
        ("Carla", "Jimenez", "agent", ("partners", "care"), 20),
        ("Ivy", "Chambers", "agent", ("trust", "care"), 20),
        ("Noah", "Lindgren", "viewer", (), 0),
    )),
    settings={DEMO_FLAG: True},
)

BRANDS = (WREN, TIDEWIRE, CRUMBTRAIL)
DEMO_USERNAME = "demo"


def all_usernames() -> list[str]:
    return [DEMO_USERNAME] + [a.username for b in BRANDS for a in b.agents]
